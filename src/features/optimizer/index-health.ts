import { sql } from 'kysely'
import type { AdvisorContext } from './advisor-context.ts'
import type { DatasetTable } from './dataset-table.ts'
import { readExistingIndexes, type ExistingIndex } from './existing-indexes.ts'
import { formatBytes } from './format-words.ts'
import { observeIndexUsage, usageKey, type UsageObservation } from './index-usage.ts'
import type { IndexHealthIssue } from './optimizer-types.ts'
import { enterPlannerSession, explainStatement } from './planner-session.ts'
import { indexesUsed } from './plan-tree.ts'
import { qualified } from '../../infra/quote-ident.ts'
import { protectedIndex, redundantIndexes } from './redundant-indexes.ts'
import { readDatasetStatements } from './workload-statements.ts'

/**
 * Drop recommendations for dataset indexes: duplicates, prefix-redundant btrees, and indexes nothing used
 * for `unusedAfterMs`. "Used" means the scan counter of pg_stat_user_indexes moved (real PostgreSQL) or a
 * plan of the recorded workload reads the index (both backends; the only signal on PGlite, which keeps no
 * index statistics). Indexes backing primary keys, unique or other constraints are never listed.
 */
export async function indexHealth(ctx: AdvisorContext, datasetId?: string): Promise<IndexHealthIssue[]> {
  const tables = await datasetTables(ctx, datasetId)
  const indexes = (await readExistingIndexes(ctx.database.db)).filter((i) => tables.some((t) => t.schema === i.schema && t.table === i.table))
  const redundant = redundantIndexes(indexes)
  const issues: IndexHealthIssue[] = redundant.map((r) => issue(r.index, r.kind, r.coveredBy.name, r.kind === 'DUPLICATE'
    ? `${r.index.name} repeats ${r.coveredBy.name} exactly; dropping it frees ${formatBytes(r.index.sizeBytes)} and changes no plan.`
    : `${r.index.name} is a leading part of ${r.coveredBy.name}, which serves every query it serves; dropping it frees ${formatBytes(r.index.sizeBytes)}.`))
  const observed = await observeIndexUsage(ctx.database.db, indexes)
  const used = await workloadIndexes(ctx, tables.filter((t) => indexes.some((i) => i.schema === t.schema && i.table === t.table)))
  // Plans pick freely between duplicates: the work a redundant index does now is work its coverer takes over.
  for (const r of redundant) if (used.has(usageKey(r.index.schema, r.index.name))) used.add(usageKey(r.coveredBy.schema, r.coveredBy.name))
  const now = Date.now()
  for (const index of indexes) {
    if (protectedIndex(index) || issues.some((i) => i.schema === index.schema && i.indexName === index.name)) continue
    const seen = observed.get(usageKey(index.schema, index.name))
    if (!seen || used.has(usageKey(index.schema, index.name)) || now - seen.unchangedSince.getTime() < ctx.limits.unusedAfterMs) continue
    issues.push(issue(index, 'UNUSED', null, unusedReason(ctx, index, seen)))
  }
  return issues
}

function unusedReason(ctx: AdvisorContext, index: ExistingIndex, seen: UsageObservation): string {
  const since = seen.unchangedSince.toISOString()
  const scans = ctx.database.kind === 'postgres' ? `no index scans since ${since}` : `been watched since ${since} (the embedded database keeps no scan counts)`
  return `${index.name} has had ${scans} and no recorded statement's plan uses it; it costs ${formatBytes(index.sizeBytes)} and slows every ingest.`
}

function issue(index: ExistingIndex, kind: IndexHealthIssue['kind'], coveredBy: string | null, reason: string): IndexHealthIssue {
  return {
    kind, schema: index.schema, table: index.table, indexName: index.name, sizeBytes: index.sizeBytes, definition: index.definition,
    coveredBy, reason, dropStatement: `DROP INDEX ${qualified(index.schema, index.name)}`,
  }
}

async function datasetTables(ctx: AdvisorContext, datasetId?: string): Promise<DatasetTable[]> {
  const rows = await sql<{ id: string; schema: string; table: string }>`SELECT id, schema_name AS schema, table_name AS table FROM phers.datasets
    WHERE ${datasetId === undefined ? sql`true` : sql`id = ${datasetId}`}`.execute(ctx.database.db)
  return rows.rows
}

/** Indexes that plans of the recorded workload read (`schema.index`). */
async function workloadIndexes(ctx: AdvisorContext, tables: DatasetTable[]): Promise<Set<string>> {
  const used = new Set<string>()
  for (const table of tables) {
    const statements = await readDatasetStatements(ctx, table, { everything: true })
    if (statements.length === 0) continue
    const names = await ctx.database.transaction(async (session) => {
      await enterPlannerSession(session, { statementTimeoutMs: ctx.limits.statementTimeoutMs, lockTimeoutMs: ctx.limits.lockTimeoutMs, maintenanceWorkMem: ctx.limits.maintenanceWorkMem })
      const found: string[] = []
      for (const statement of statements) found.push(...indexesUsed((await explainStatement(session, statement)).Plan))
      return found
    }, { readOnly: true, alwaysRollback: true })
    for (const name of names) used.add(usageKey(table.schema, name))
  }
  return used
}
