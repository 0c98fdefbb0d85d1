import { AppError } from '../../errors.ts'

/** Throws the guard's refusal; the reason names only what the user wrote, never other owners' objects. */
export function refuse(reason: string): never {
  throw new AppError('SQL_NOT_ALLOWED', `Statement not allowed: ${reason}`)
}
