import { AppError } from '../../errors.ts'

/** Opaque pagination cursor: base64url of a JSON tuple, so clients cannot depend on its shape. */
export const encodeCursor = (parts: readonly (string | number)[]): string =>
  Buffer.from(JSON.stringify(parts)).toString('base64url')

export function decodeCursor(cursor: string, arity: number): (string | number)[] {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(parts) && parts.length === arity && parts.every((p) => typeof p === 'string' || typeof p === 'number')) {
      return parts
    }
  } catch {
    // fall through to the typed error below
  }
  throw new AppError('BAD_INPUT', 'Invalid cursor', { cursor })
}

export interface Page<T> {
  nodes: T[]
  pageInfo: { hasNextPage: boolean; endCursor: string | null }
}

/** Page size bounds shared by the telemetry lists. */
export function clampFirst(first: number | null | undefined, fallback = 50, max = 500): number {
  if (first === null || first === undefined) return fallback
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw new AppError('BAD_INPUT', `first must be between 1 and ${max}`, { first })
  }
  return first
}
