import { parseSync } from 'libpg-query'
import { AppError } from '../../errors.ts'
import type { DbSession } from '../../infra/database.ts'
import { roleAtLeast, type Viewer } from '../auth/viewer.ts'
import { checkEmbeddedCost } from '../sql/embedded-cost-check.ts'
import { enterReaderSession } from '../sql/reader-session.ts'
import { toSqlAppError } from '../sql/sql-errors.ts'
import type { AdvisorContext } from './advisor-context.ts'
import type { ExplainResult, TableUsage } from './optimizer-types.ts'
import { planSummary } from './plan-summary.ts'
import { parseExplain, planNodes, planView, type PlanJson } from './plan-tree.ts'
import { readTableUsage } from './table-usage.ts'

/**
 * `explain(query)`: the same guard, reader role, search path and timeouts as `sql`, so EXPLAIN shows what the
 * viewer's statement would do and reveals nothing it could not read. With `analyze` the statement runs (read
 * only, rolled back; on PGlite only under the embedded cost limit, as for `sql`).
 */
export async function explainForViewer(ctx: AdvisorContext, sqlText: string, viewer: Viewer, options: { analyze?: boolean } = {}): Promise<ExplainResult> {
  const guarded = ctx.guard.check(sqlText, {
    params: 0, admin: roleAtLeast(viewer, 'ADMIN'), embedded: ctx.database.kind === 'pglite', maxResultRows: ctx.limits.maxResultRows,
  })
  const reader = await ctx.roles.readerFor(viewer)
  const analyze = options.analyze === true
  const text = `EXPLAIN (FORMAT JSON, VERBOSE${analyze ? ', ANALYZE, BUFFERS' : ''}) ${guarded.text}`
  ctx.guard.checkWrapped(text, 'ExplainStmt')
  const { json, rows } = await ctx.database.transaction(async (session) => {
    await enterReaderSession(session, { ...reader, statementTimeoutMs: ctx.limits.statementTimeoutMs, workMem: ctx.limits.workMem })
    if (analyze && ctx.database.kind === 'pglite') await checkEmbeddedCost(session, guarded.text, [], ctx.limits.embeddedMaxCost)
    const result = await session.query<[unknown]>(text, [], { rowMode: 'array' })
    const current = await session.query<{ role: string }>('SELECT current_user AS role')
    if (current.rows[0]?.role !== reader.role) throw new AppError('SQL_NOT_ALLOWED', 'Statement not allowed: it changed the session role')
    const parsed = parseExplain(result.rows[0]?.[0])
    return { json: parsed, rows: await relationRows(session, parsed.Plan) }
  }, { readOnly: true, alwaysRollback: true }).catch((error: unknown) => {
    throw toSqlAppError(error, { timeoutMs: ctx.limits.statementTimeoutMs, cancelled: false })
  })
  const verbose = json.Plan
  const plan = withoutOutputs(verbose)
  const stmt = parseSync(guarded.text).stmts?.[0]?.stmt as { SelectStmt: Record<string, unknown> }
  const usages: TableUsage[] = readTableUsage(stmt.SelectStmt)
  return {
    plan: planView(plan),
    summary: planSummary(verbose, usages, { tableRows: (relation, schema) => rows.get(`${schema}.${relation}`) ?? null }),
    totalCost: Number(plan['Total Cost'] ?? 0),
    planningMs: json['Planning Time'] ?? null,
    executionMs: json['Execution Time'] ?? null,
    raw: [{ ...json, Plan: plan }],
  }
}

/** Row estimates of the relations the plan reads, keyed `schema.table` (VERBOSE names the schema). */
async function relationRows(session: DbSession, plan: PlanJson): Promise<Map<string, number>> {
  const rows = new Map<string, number>()
  for (const { node } of planNodes(plan)) {
    if (typeof node['Relation Name'] !== 'string' || typeof node.Schema !== 'string') continue
    const key = `${node.Schema}.${node['Relation Name']}`
    if (rows.has(key)) continue
    const result = await session.query<{ rows: number }>(`SELECT c.reltuples::float8 AS rows FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`, [node.Schema, node['Relation Name']])
    const estimate = Number(result.rows[0]?.rows ?? -1)
    if (estimate >= 0) rows.set(key, estimate)
  }
  return rows
}

/**
 * VERBOSE adds every node's output column list (noise, and large) and the schema, whose `ds_<hash>` name is
 * internal (the executor never shows it either); both are dropped once the row estimates are read.
 */
function withoutOutputs(node: PlanJson): PlanJson {
  const { Output: _output, Schema: _schema, Plans, ...rest } = node
  return { ...rest, ...(Plans ? { Plans: Plans.map(withoutOutputs) } : {}) } as PlanJson
}
