import { AppError, isAppError } from '../../errors.ts'

interface PgError {
  code: string
  message: string
  position?: string | number
}

const isPgError = (error: unknown): error is PgError =>
  typeof error === 'object' && error !== null && typeof (error as PgError).code === 'string' && /^[0-9A-Z]{5}$/.test((error as PgError).code)

/**
 * Internal names a message could carry: per-owner schemas (`ds_<hash>`) and reader roles (`phers_<hash>_…`).
 * They are never something the user wrote, and naming them would tell one owner about another.
 */
const QUALIFIERS = /"ds_[0-9a-z_]+"\.|\bds_[0-9a-z_]+\./g
const INTERNAL_NAMES = /"?\bphers_[0-9a-f]{8}_[0-9a-z_]+"?|"?\bds_[0-9a-f]{16}\b"?/g

export function cleanMessage(message: string): string {
  return message.replace(QUALIFIERS, '').replace(INTERNAL_NAMES, 'a restricted object')
}

export interface ErrorContext {
  timeoutMs: number
  /** True when the client went away and the executor cancelled the statement itself. */
  cancelled: boolean
}

/**
 * PostgreSQL errors as typed, user-actionable errors. Permission errors only arise when a statement reaches an
 * object the role may not read (a guard miss): their text names that object, so it is replaced wholesale.
 * Connection failures and other non-SQL errors are rethrown unchanged, to be masked and logged.
 */
export function toSqlAppError(error: unknown, context: ErrorContext): unknown {
  if (isAppError(error) || !isPgError(error)) return error
  if (error.code === '57014') {
    return new AppError('SQL_TIMEOUT', context.cancelled ? 'The query was cancelled because the request ended' : `The query ran longer than ${context.timeoutMs} ms and was cancelled`)
  }
  if (error.code === '25006') return new AppError('SQL_NOT_ALLOWED', 'Statement not allowed: the query would write')
  if (error.code === '42501') return new AppError('SQL_ERROR', 'permission denied')
  if (error.code.startsWith('08') || error.code.startsWith('57P') || error.code === 'XX000') return error
  const position = error.position === undefined ? null : Number(error.position)
  return new AppError('SQL_ERROR', cleanMessage(error.message), { sqlState: error.code, position })
}
