import type { DbSession } from '../../infra/database.ts'
import { refuse } from './refuse.ts'

/**
 * PGlite runs in this process and cannot interrupt a statement: one runaway query would block every request.
 * So on the embedded database the planner's estimate is checked before running anything. Runs inside the
 * reader session, so EXPLAIN sees exactly what the statement would (and fails the same way).
 */
export async function checkEmbeddedCost(session: DbSession, text: string, params: readonly unknown[], maxCost: number): Promise<void> {
  const result = await session.query<[unknown]>(`EXPLAIN (FORMAT JSON) ${text}`, params, { rowMode: 'array' })
  const raw = result.rows[0]?.[0]
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: { 'Total Cost': number } }[]
  const cost = plan[0]?.Plan['Total Cost'] ?? 0
  if (cost > maxCost) {
    refuse(
      `the estimated cost ${Math.round(cost).toLocaleString('en-US')} exceeds the embedded database's limit of ` +
        `${maxCost.toLocaleString('en-US')} (it cannot stop a running query); add filters or a LIMIT, or run PHERS on PostgreSQL`,
    )
  }
}
