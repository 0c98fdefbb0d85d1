import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { AppError } from '../../errors.ts'

export interface PagePosition {
  /** Id of the result snapshot the page is cut from. */
  snapshot: string
  /** Index of the first row of the next page. */
  offset: number
}

export interface PageCursors {
  encode(position: PagePosition): string
  /** Throws BAD_INPUT for anything this process did not sign. */
  decode(cursor: string): PagePosition
}

/**
 * Opaque, tamper-evident cursors: base64url JSON plus an HMAC, so a client cannot forge an offset or point at
 * someone else's snapshot id. The key defaults to random per process: snapshots are per-process anyway.
 */
export function createPageCursors({ secret = randomBytes(32) }: { secret?: Buffer | string } = {}): PageCursors {
  const sign = (body: string) => createHmac('sha256', secret).update(body).digest()
  const invalid = () => new AppError('BAD_INPUT', 'Invalid cursor: pass the endCursor of a previous page unchanged')

  return {
    encode(position) {
      const body = Buffer.from(JSON.stringify([position.snapshot, position.offset])).toString('base64url')
      return `${body}.${sign(body).toString('base64url')}`
    },
    decode(cursor) {
      const [body, signature, extra] = cursor.split('.')
      if (!body || !signature || extra !== undefined) throw invalid()
      const given = Buffer.from(signature, 'base64url')
      const expected = sign(body)
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid()
      const [snapshot, offset] = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as [unknown, unknown]
      if (typeof snapshot !== 'string' || !Number.isSafeInteger(offset) || (offset as number) < 0) throw invalid()
      return { snapshot, offset: offset as number }
    },
  }
}
