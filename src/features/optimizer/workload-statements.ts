import { parseSync } from 'libpg-query'
import type { AdvisorContext } from './advisor-context.ts'
import type { DatasetTable } from './dataset-table.ts'
import type { TableUsage, WorkloadStatement } from './optimizer-types.ts'
import type { PlannableStatement } from './planner-session.ts'
import { readTableUsage } from './table-usage.ts'

/** A recorded statement that reads the dataset's table, ready for planning. */
export interface DatasetStatement extends PlannableStatement {
  workload: WorkloadStatement
  /** How it reads the dataset's table (one entry per occurrence, e.g. a self-join). */
  usages: TableUsage[]
}

/**
 * The frequent or slow statements (or with `everything`, all statements) of the recorded workload that read this dataset. Each is re-checked by the
 * statement guard before the advisor plans it: the workload table is data, and only guarded text is planned.
 */
export async function readDatasetStatements(ctx: AdvisorContext, dataset: DatasetTable, options: { everything?: boolean } = {}): Promise<DatasetStatement[]> {
  const entries = await ctx.workload.top({ datasetId: dataset.id, limit: ctx.limits.maxStatements })
  const statements: DatasetStatement[] = []
  for (const entry of entries) {
    const succeeded = entry.calls - entry.errors
    const meanMs = succeeded > 0 ? entry.totalMs / entry.calls : 0
    const rare = entry.calls < ctx.limits.minCalls && meanMs < ctx.limits.slowMs
    if (succeeded <= 0 || (rare && !options.everything)) continue
    const prepared = prepare(ctx, dataset, {
      fingerprint: entry.fingerprint, scope: entry.scope, sql: entry.sampleSql, params: entry.sampleParams, calls: entry.calls, meanMs,
    })
    if (prepared) statements.push(prepared)
  }
  return statements
}

function prepare(ctx: AdvisorContext, dataset: DatasetTable, workload: WorkloadStatement): DatasetStatement | null {
  try {
    const guarded = ctx.guard.check(workload.sql, {
      params: workload.params.length, admin: true, embedded: ctx.database.kind === 'pglite', maxResultRows: ctx.limits.maxResultRows,
    })
    const stmt = parseSync(guarded.text).stmts?.[0]?.stmt as { SelectStmt: Record<string, unknown> }
    const usages = readTableUsage(stmt.SelectStmt).filter((u) => u.table === dataset.table && (u.schema === null || u.schema === dataset.schema))
    if (usages.length === 0) return null
    return {
      fingerprint: workload.fingerprint, text: guarded.text, params: workload.params,
      searchPath: [ctx.roles.ownerSchema(workload.scope), ctx.roles.sharedSchema], workload, usages,
    }
  } catch (error) {
    ctx.logger.debug({ err: error, fingerprint: workload.fingerprint }, 'optimizer skips a workload statement it cannot plan')
    return null
  }
}
