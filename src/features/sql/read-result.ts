import { AppError } from '../../errors.ts'
import type { DbSession } from '../../infra/database.ts'
import { checkEmbeddedCost } from './embedded-cost-check.ts'
import { enterReaderSession, type ReaderSettings } from './reader-session.ts'

export interface RawResult {
  fields: { name: string; dataTypeID: number }[]
  /** Every value as the server's text (or null), in column order. */
  rows: unknown[][]
}

export interface ReadOptions {
  text: string
  params: readonly unknown[]
  reader: ReaderSettings
  /** Rows the first page shows; one more is read to learn whether another page exists. */
  first: number
  /** Hard cap on rows read from the server for one result. */
  maxRows: number
  /** Refuse plans above this estimated cost (the embedded database only; null on PostgreSQL). */
  maxCost: number | null
  /** Checks the cursor wrapper still holds exactly one statement; null runs the text as sent (test-only). */
  checkWrapped: ((text: string) => void) | null
}

const CURSOR = 'phers_result'
const RAW = { rowMode: 'array', raw: true } as const

/**
 * Runs one guarded statement inside the caller's transaction as the reader role. A cursor gives the row cap
 * without rewriting the statement (no outer LIMIT that could change its plan or meaning) and lets a one-page
 * result stop after `first + 1` rows; only a result with more pages is read on to `maxRows`.
 */
export async function readResult(session: DbSession, options: ReadOptions): Promise<RawResult> {
  await enterReaderSession(session, options.reader)
  if (!options.checkWrapped) {
    const direct = await session.query<unknown[]>(options.text, options.params, RAW)
    await checkRoleKept(session, options.reader.role)
    return direct
  }
  if (options.maxCost !== null) await checkEmbeddedCost(session, options.text, options.params, options.maxCost)
  const declare = `DECLARE ${CURSOR} NO SCROLL CURSOR FOR ${options.text}`
  options.checkWrapped(declare)
  await session.query(declare, options.params)
  const want = Math.min(options.first + 1, options.maxRows)
  const head = await session.query<unknown[]>(`FETCH FORWARD ${want} FROM ${CURSOR}`, [], RAW)
  const more = head.rows.length === want && want < options.maxRows
  const rest = more ? await session.query<unknown[]>(`FETCH FORWARD ${options.maxRows - want} FROM ${CURSOR}`, [], RAW) : null
  await checkRoleKept(session, options.reader.role)
  return { fields: head.fields, rows: rest ? [...head.rows, ...rest.rows] : head.rows }
}

/**
 * SET ROLE is no sandbox: the session user (PHERS's login) may always switch back, so SQL that reaches
 * `set_config('role', …)` or `RESET ROLE` escapes the reader role. The guard refuses both; this re-check
 * after the last fetch discards the result if one ever got through (writes stay impossible: READ ONLY).
 */
async function checkRoleKept(session: DbSession, role: string): Promise<void> {
  const current = await session.query<{ role: string }>('SELECT current_user AS role')
  if (current.rows[0]?.role !== role) throw new AppError('SQL_NOT_ALLOWED', 'Statement not allowed: it changed the session role')
}
