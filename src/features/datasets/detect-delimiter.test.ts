import { describe, expect, it } from 'vitest'
import { detectDelimiter } from './detect-delimiter.ts'

describe('detectDelimiter', () => {
  it.each([
    ['a,b,c\n1,2,3\n', ','],
    ['a;b;c\n1,5;2,5;3\n', ';'],
    ['a\tb\tc\n1\t2\t3\n', '\t'],
    ['a|b|c\r\n1|2|3\r\n', '|'],
    ['name;note\n"x, y, z";1\n"a,b";2\n', ';'],
    ['single\nvalue\n', ','],
    ['a;b\n', ';'],
  ])('detects the delimiter of %j', (sample, expected) => {
    expect(detectDelimiter(sample)).toBe(expected)
  })

  it('ignores a trailing partial line', () => {
    expect(detectDelimiter('a;b;c\n1;2;3\n4;5,6,7,8,9,10,11')).toBe(';')
  })
})
