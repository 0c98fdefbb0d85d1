import { createHash } from 'node:crypto'
import type { AdvisorContext } from './advisor-context.ts'
import { createCandidateEvaluator } from './candidate-evaluator.ts'
import { evaluateWithinBudget, type Proposed } from './evaluate-within-budget.ts'
import { extensionInstalled, readDatasetTable, tableRowEstimate, type DatasetTable } from './dataset-table.ts'
import { readExistingIndexes } from './existing-indexes.ts'
import { indexCandidates, type CandidateOptions } from './index-candidates.ts'
import { createIndexStatement, indexNameOf } from './index-statement.ts'
import type { IndexRecommendation } from './optimizer-types.ts'
import { planFindings } from './plan-findings.ts'
import { enterPlannerSession, explainStatement } from './planner-session.ts'
import { recommendationReason } from './recommendation-reason.ts'
import { selectIndexes, type SelectedIndex } from './select-indexes.ts'
import { readDatasetStatements, type DatasetStatement } from './workload-statements.ts'

export interface RecommendationRun {
  recommendations: IndexRecommendation[]
  /** Candidates evaluated and those left for a later run because the time budget ran out. */
  evaluated: number
  skipped: number
  /** What each evaluation cost (with the rollback method: the real build time of the index on the table). */
  candidates: { statement: string; elapsedMs: number; sizeBytes: number; failed: boolean }[]
  elapsedMs: number
  method: 'hypopg' | 'rollback'
}

/**
 * workload → statements with a costly plan part on this table → candidates → evaluation (single-column
 * candidates first, then composites, within the time budget) → greedy choice → stored recommendations.
 */
export async function recommendIndexes(ctx: AdvisorContext, datasetId: string): Promise<RecommendationRun> {
  const started = performance.now()
  const dataset = await readDatasetTable(ctx.database.db, datasetId)
  const hypopg = await extensionInstalled(ctx.database.db, 'hypopg')
  const evaluator = createCandidateEvaluator({ database: ctx.database, hypopg, settings: plannerSettings(ctx) })
  const statements = await costlyStatements(ctx, dataset, await readDatasetStatements(ctx, dataset))
  const existing = (await readExistingIndexes(ctx.database.db, dataset)).filter((i) => i.valid)
  const proposed = proposeCandidates(statements, {
    schema: dataset.schema, trigram: await extensionInstalled(ctx.database.db, 'pg_trgm'),
    existing: existing.map((i) => ({ method: i.method, keys: i.keys.flatMap((k) => (k ? [k] : [])), partial: i.partial || i.keys.includes(null) })),
  })
  const { evaluations, skipped } = await evaluateWithinBudget({
    evaluator, statements: statements.map((s) => ({ ...s.statement, calls: s.statement.workload.calls, cost: s.cost })), proposed, started,
    budgetMs: ctx.limits.evaluationBudgetMs, minSaving: ctx.limits.minCostSaving,
    onFailure: (error, candidate) => ctx.logger.warn({ err: error, index: indexNameOf(candidate) }, 'index candidate could not be evaluated'),
  })
  const selected = selectIndexes(statements.map((s) => ({ calls: s.statement.workload.calls, cost: s.cost })), evaluations.filter((e) => e.costs.length > 0), {
    minSaving: ctx.limits.minCostSaving,
  })
  const recommendations = selected.map((s) => toRecommendation(dataset, s, statements))
  await ctx.store.replacePending(datasetId, recommendations)
  const stored = await ctx.store.list(datasetId)
  return {
    recommendations: recommendations.map((r) => stored.find((s) => s.id === r.id) ?? r),
    candidates: evaluations.map((e) => ({ statement: createIndexStatement(e.candidate), elapsedMs: e.elapsedMs, sizeBytes: e.sizeBytes, failed: e.costs.length === 0 })),
    evaluated: evaluations.length, skipped, elapsedMs: performance.now() - started,
    method: hypopg ? 'hypopg' : 'rollback',
  }
}

function plannerSettings(ctx: AdvisorContext) {
  return { statementTimeoutMs: ctx.limits.statementTimeoutMs, lockTimeoutMs: ctx.limits.lockTimeoutMs, maintenanceWorkMem: ctx.limits.maintenanceWorkMem }
}

/** Candidates of every statement, merged: the same index proposed by two statements is evaluated once. */
function proposeCandidates(statements: CostlyStatement[], options: CandidateOptions): Proposed[] {
  const merged = new Map<string, Proposed>()
  statements.forEach((s, i) => {
    for (const candidate of indexCandidates(s.statement.usages, options)) {
      const signature = createIndexStatement(candidate)
      const known = merged.get(signature)
      if (known) {
        known.statements.push(i)
        for (const reason of candidate.because) if (!known.candidate.because.includes(reason)) known.candidate.because.push(reason)
      } else merged.set(signature, { candidate, statements: [i] })
    }
  })
  return [...merged.values()]
}

interface CostlyStatement {
  statement: DatasetStatement
  cost: number
}

/** Keeps statements whose current plan has a part an index could remove on this table (not full scans). */
async function costlyStatements(ctx: AdvisorContext, dataset: DatasetTable, statements: DatasetStatement[]): Promise<CostlyStatement[]> {
  if (statements.length === 0) return []
  const rows = await tableRowEstimate(ctx.database.db, dataset)
  const plans = await ctx.database.transaction(async (session) => {
    await enterPlannerSession(session, plannerSettings(ctx))
    const out = []
    for (const statement of statements) out.push(await explainStatement(session, statement))
    return out
  }, { readOnly: true, alwaysRollback: true })
  return statements.flatMap((statement, i) => {
    const plan = plans[i]!
    const findings = planFindings(plan.Plan, { tableRows: (relation) => (relation === dataset.table ? rows : null) }).filter((f) => f.relation === dataset.table)
    return findings.length > 0 ? [{ statement, cost: plan.Plan['Total Cost'] as number }] : []
  })
}

function toRecommendation(dataset: DatasetTable, selected: SelectedIndex, statements: CostlyStatement[]): IndexRecommendation {
  const { candidate } = selected.evaluation
  const statement = createIndexStatement(candidate)
  const helped = selected.helped.map((i) => ({
    fingerprint: statements[i]!.statement.fingerprint, sql: statements[i]!.statement.text,
    params: [...statements[i]!.statement.params], searchPath: [...statements[i]!.statement.searchPath], calls: statements[i]!.statement.workload.calls,
    costBefore: statements[i]!.cost, costAfter: selected.evaluation.costs[i]!,
  }))
  const now = new Date()
  return {
    id: createHash('sha256').update(`${dataset.id}|${statement}`).digest('base64url').slice(0, 16),
    datasetId: dataset.id, schema: dataset.schema, table: dataset.table, indexName: indexNameOf(candidate), method: candidate.method,
    keys: candidate.keys, statement, helped, costBefore: selected.before, costAfter: selected.after, sizeBytes: selected.evaluation.sizeBytes,
    reason: recommendationReason(candidate, selected, helped), status: 'PENDING', measured: null, createdAt: now, updatedAt: now,
  }
}
