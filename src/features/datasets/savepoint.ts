import type { DbSession } from '../../infra/database.ts'

/** Runs `fn` so that its failure leaves the transaction usable (and its work undone); returns the error, if any. */
export async function underSavepoint(session: DbSession, fn: () => Promise<unknown>): Promise<Error | null> {
  await session.query('SAVEPOINT phers_step')
  try {
    await fn()
    await session.query('RELEASE SAVEPOINT phers_step')
    return null
  } catch (error) {
    await session.query('ROLLBACK TO SAVEPOINT phers_step')
    await session.query('RELEASE SAVEPOINT phers_step')
    return error as Error
  }
}
