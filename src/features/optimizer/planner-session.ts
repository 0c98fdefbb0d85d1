import type { DbSession } from '../../infra/database.ts'
import { parseExplain, type ExplainJson } from './plan-tree.ts'
import { quoteIdent } from '../../infra/quote-ident.ts'

/** A workload statement ready to be planned: guarded text, its parameters and the search path it ran under. */
export interface PlannableStatement {
  fingerprint: string
  text: string
  params: readonly unknown[]
  searchPath: readonly string[]
}

export interface PlannerSettings {
  statementTimeoutMs: number
  /** How long DDL may wait for a table lock before giving up (so it never queues other sessions behind it). */
  lockTimeoutMs: number
  /** Memory for index builds during evaluation (a larger sort avoids spilling on big tables). */
  maintenanceWorkMem: string
}

/** Transaction-local limits for the advisor's own work; they end with the transaction. */
export async function enterPlannerSession(session: DbSession, settings: PlannerSettings): Promise<void> {
  await session.query(
    `SELECT set_config('statement_timeout', $1, true), set_config('lock_timeout', $2, true),
      set_config('maintenance_work_mem', $3, true)`,
    [String(settings.statementTimeoutMs), String(settings.lockTimeoutMs), settings.maintenanceWorkMem],
  )
}

/**
 * Plans a statement as its author's session would see it (same search path) without running it.
 * `pg_catalog` and `pg_temp` come last, as for the reader session, so dataset names resolve the same way.
 */
export async function explainStatement(session: DbSession, statement: PlannableStatement): Promise<ExplainJson> {
  const searchPath = [...statement.searchPath.map(quoteIdent), 'pg_catalog', 'pg_temp'].join(', ')
  await session.query(`SELECT set_config('search_path', $1, true)`, [searchPath])
  const result = await session.query<[unknown]>(`EXPLAIN (FORMAT JSON) ${statement.text}`, statement.params, { rowMode: 'array' })
  return parseExplain(result.rows[0]?.[0])
}
