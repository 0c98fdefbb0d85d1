import { describe, expect, it } from 'vitest'
import { AppError } from '../../errors.ts'
import { cleanMessage, toSqlAppError } from './sql-errors.ts'

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code })
const context = { timeoutMs: 5000, cancelled: false }

describe('sql errors', () => {
  it('maps timeouts, cancellations and read-only violations', () => {
    expect((toSqlAppError(pgError('57014', 'canceling statement due to statement timeout'), context) as AppError).code).toBe('SQL_TIMEOUT')
    expect((toSqlAppError(pgError('57014', 'x'), { ...context, cancelled: true }) as AppError).message).toMatch(/request ended/)
    expect((toSqlAppError(pgError('25006', 'cannot execute DELETE in a read-only transaction'), context) as AppError).code).toBe('SQL_NOT_ALLOWED')
  })

  it('never repeats what a permission error names', () => {
    const mapped = toSqlAppError(pgError('42501', 'permission denied for table secret_plans'), context) as AppError
    expect([mapped.code, mapped.message]).toEqual(['SQL_ERROR', 'permission denied'])
  })

  it('strips internal schema and role names from other messages', () => {
    expect(cleanMessage('relation "ds_0123456789abcdef.assets" does not exist')).toBe('relation "assets" does not exist')
    expect(cleanMessage('permission denied for schema ds_0123456789abcdef')).toBe('permission denied for schema a restricted object')
    expect(cleanMessage('role "phers_0123abcd_o_0123456789abcdef" cannot do that')).toBe('role a restricted object cannot do that')
  })

  it('passes connection failures and non-SQL errors through to be masked', () => {
    const lost = pgError('57P01', 'terminating connection due to administrator command')
    expect(toSqlAppError(lost, context)).toBe(lost)
    const bug = new TypeError('x is undefined')
    expect(toSqlAppError(bug, context)).toBe(bug)
  })
})
