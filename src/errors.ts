import { GraphQLError } from 'graphql'

/** The documented set of error codes; every expected failure carries one in `extensions.code`. */
export const ERROR_STATUS = {
  BAD_CSV: 400,
  SQL_NOT_ALLOWED: 400,
  SQL_TIMEOUT: 408,
  SQL_ERROR: 400,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  PAYLOAD_TOO_LARGE: 413,
  BAD_INPUT: 400,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const

export type ErrorCode = keyof typeof ERROR_STATUS

/**
 * An expected failure: shown to the client as-is with a stable `extensions.code`.
 * Anything that is not an AppError is masked by Yoga and logged with the request id.
 */
const BRAND = Symbol.for('phers.AppError')

export class AppError extends GraphQLError {
  readonly code: ErrorCode
  readonly [BRAND] = true

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message, { extensions: { ...details, code, http: { status: ERROR_STATUS[code] } } })
    this.code = code
    this.name = 'AppError'
  }
}

/** Brand check rather than instanceof: test runners may load this module (and graphql) more than once. */
export const isAppError = (error: unknown): error is AppError =>
  typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true

/** The nearest AppError in an error's `originalError` chain (GraphQL wraps resolver errors). */
export function findAppError(error: unknown): AppError | null {
  let current: unknown = error
  for (let depth = 0; current && depth < 5; depth += 1) {
    if (isAppError(current)) return current
    current = (current as { originalError?: unknown }).originalError
  }
  return null
}
