import type { Viewer } from '../auth/viewer.ts'
import { checkEmbeddedCost } from '../sql/embedded-cost-check.ts'
import { enterReaderSession } from '../sql/reader-session.ts'
import type { AdvisorContext } from './advisor-context.ts'
import { parseExplain } from './plan-tree.ts'
import type { PlannableStatement } from './planner-session.ts'

/** The advisor reads as the admin reader role: SELECT on every dataset table and nothing else. */
export const ADVISOR_VIEWER: Viewer = { id: 'phers-index-advisor', name: 'index advisor', role: 'ADMIN', anonymous: false }

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/**
 * Server-side execution time of each statement: one warm-up run (so both sides of a before/after comparison
 * read from a warm cache), then the median of `runs`. EXPLAIN ANALYZE with TIMING OFF runs the statement
 * completely without shipping its rows, in a read-only transaction under the reader role and the statement
 * timeout; on PGlite the estimated cost is checked first because a running statement cannot be stopped there.
 */
export async function measureStatements(ctx: AdvisorContext, statements: readonly PlannableStatement[]): Promise<number[]> {
  const reader = await ctx.roles.readerFor(ADVISOR_VIEWER)
  const medians: number[] = []
  for (const statement of statements) {
    const times: number[] = []
    for (let run = 0; run <= ctx.limits.measureRuns; run += 1) {
      const ms = await executionMs(ctx, reader.role, statement)
      if (run > 0) times.push(ms)
    }
    medians.push(median(times))
  }
  return medians
}

function executionMs(ctx: AdvisorContext, role: string, statement: PlannableStatement): Promise<number> {
  return ctx.database.transaction(async (session) => {
    await enterReaderSession(session, { role, searchPath: statement.searchPath, statementTimeoutMs: ctx.limits.statementTimeoutMs, workMem: ctx.limits.workMem })
    if (ctx.database.kind === 'pglite') await checkEmbeddedCost(session, statement.text, statement.params, ctx.limits.embeddedMaxCost)
    const result = await session.query<[unknown]>(`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${statement.text}`, statement.params, { rowMode: 'array' })
    return parseExplain(result.rows[0]?.[0])['Execution Time'] ?? 0
  }, { readOnly: true, alwaysRollback: true })
}
