import { describe, expect, it } from 'vitest'
import { convertRow } from './result-values.ts'

describe('convertRow', () => {
  it('converts small numbers, booleans and JSON, keeps int8/numeric as exact strings', () => {
    const oids = [21, 23, 20, 1700, 16, 16, 3802, 114, 701, 701, 25]
    const row = ['7', '-42', '9223372036854775807', '123456789012345678901234.5678', 't', 'f', '{"a":[1,2]}', '[true]', '0.1', 'NaN', 'x']
    expect(convertRow(row, oids)).toEqual([7, -42, '9223372036854775807', '123456789012345678901234.5678', true, false, { a: [1, 2] }, [true], 0.1, 'NaN', 'x'])
  })

  it('writes timestamps as ISO 8601 with every fractional digit', () => {
    expect(convertRow(['2024-02-01 10:00:00.123456+00', '2024-02-01 10:00:00+05:30', '2024-02-01 10:00:00-03', '2024-02-01 10:00:00', 'infinity'], [1184, 1184, 1184, 1114, 1184]))
      .toEqual(['2024-02-01T10:00:00.123456Z', '2024-02-01T10:00:00+05:30', '2024-02-01T10:00:00-03:00', '2024-02-01T10:00:00', 'infinity'])
  })

  it('keeps nulls and the text form of other types', () => {
    expect(convertRow([null, '2024-01-31', '1 day 02:00:00', '(1,2)'], [23, 1082, 1186, 600])).toEqual([null, '2024-01-31', '1 day 02:00:00', '(1,2)'])
  })

  it('makes arrays a driver already parsed JSON-safe', () => {
    expect(convertRow([[9007199254740993n, 1, null], [new Date('2024-01-01T00:00:00Z')], [1, 2]], [1016, 1182, 1007])).toEqual([['9007199254740993', '1', null], ['2024-01-01T00:00:00.000Z'], [1, 2]])
  })

  it('turns arrays into JSON arrays with converted elements', () => {
    const row = ['{1,NULL,3}', '{{1,2},{3,4}}', '{"a b","c\\"d",NULL,plain}', '{9223372036854775807}', '[0:1]={t,f}', '{}', '{"{\\"k\\": 1}"}']
    expect(convertRow(row, [1007, 1007, 1009, 1016, 1000, 1009, 3807])).toEqual([
      [1, null, 3], [[1, 2], [3, 4]], ['a b', 'c"d', null, 'plain'], ['9223372036854775807'], [true, false], [], [{ k: 1 }],
    ])
  })
})
