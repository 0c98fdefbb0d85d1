import { describe, expect, it } from 'vitest'
import { AppError } from '../../errors.ts'
import { createPageCursors } from './page-cursor.ts'

describe('page cursors', () => {
  const cursors = createPageCursors({ secret: 'test-secret' })

  it('round-trips a position', () => {
    const cursor = cursors.encode({ snapshot: 'abc', offset: 40 })
    expect(cursors.decode(cursor)).toEqual({ snapshot: 'abc', offset: 40 })
  })

  it.each([
    ['garbage', 'not-a-cursor'],
    ['an empty string', ''],
    ['an extra segment', `${createPageCursors({ secret: 'test-secret' }).encode({ snapshot: 'a', offset: 1 })}.x`],
    ['a changed offset', (() => {
      const [, signature] = cursors.encode({ snapshot: 'abc', offset: 40 }).split('.')
      return `${Buffer.from(JSON.stringify(['abc', 0])).toString('base64url')}.${signature}`
    })()],
    ['another key', createPageCursors({ secret: 'other' }).encode({ snapshot: 'abc', offset: 40 })],
  ])('refuses %s with BAD_INPUT', (_label, cursor) => {
    expect(() => cursors.decode(cursor)).toThrowError(AppError)
    try {
      cursors.decode(cursor)
    } catch (error) {
      expect((error as AppError).code).toBe('BAD_INPUT')
    }
  })
})
