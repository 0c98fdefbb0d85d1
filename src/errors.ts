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
export class AppError extends GraphQLError {
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message, { extensions: { ...details, code, http: { status: ERROR_STATUS[code] } } })
    this.code = code
    this.name = 'AppError'
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError
