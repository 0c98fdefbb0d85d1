import { sql } from 'kysely'
import { AppError } from '../../errors.ts'
import type { Viewer } from '../auth/viewer.ts'
import type { AdvisorContext } from './advisor-context.ts'
import type { AdvisorHooks } from './advisor-hooks.ts'
import { formatCount } from './format-words.ts'
import { measureStatements } from './measure-statements.ts'
import type { IndexRecommendation, MeasuredGain } from './optimizer-types.ts'
import type { PlannableStatement } from './planner-session.ts'
import { qualified } from '../../infra/quote-ident.ts'
import { requireAdmin } from './require-admin.ts'

/**
 * Builds a recommended index and proves it: the helped statements are measured before and after. On real
 * PostgreSQL the build is CONCURRENTLY (no lock that blocks writers; readers are never blocked either way);
 * PGlite has one session, so a plain build. A measured speedup below the threshold keeps the index but marks
 * it DROP_RECOMMENDED with the numbers, so an admin decides (auto mode drops nothing by itself).
 */
export async function applyRecommendation(ctx: AdvisorContext, hooks: AdvisorHooks, id: string, viewer: Viewer, action = 'index.create'): Promise<IndexRecommendation> {
  requireAdmin(viewer)
  const recommendation = await ctx.store.get(id)
  if (!recommendation) throw new AppError('NOT_FOUND', `Index recommendation ${id} does not exist`)
  if (recommendation.status === 'APPLIED' || recommendation.status === 'DROP_RECOMMENDED') {
    throw new AppError('BAD_INPUT', `Index recommendation ${id} was already applied (${recommendation.indexName})`)
  }
  const statements = recheck(ctx, recommendation)
  const before = await measureStatements(ctx, statements)
  await build(ctx, recommendation)
  const after = await measureStatements(ctx, statements)
  const measured = gainOf(recommendation, before, after, ctx.limits.minMeasuredSpeedup)
  const status = measured.speedup >= ctx.limits.minMeasuredSpeedup ? 'APPLIED' : 'DROP_RECOMMENDED'
  await ctx.store.setOutcome(id, status, measured)
  const subject = `${recommendation.schema}.${recommendation.indexName}`
  hooks.activity?.record({ actor: viewer.id, action, subject, detail: { recommendationId: id, datasetId: recommendation.datasetId, statement: recommendation.statement, ...measured } })
  hooks.onEvent?.({ type: 'index.applied', datasetId: recommendation.datasetId, indexName: subject, detail: { ...measured, sizeBytes: recommendation.sizeBytes } })
  if (status === 'DROP_RECOMMENDED') {
    hooks.onEvent?.({ type: 'index.drop_recommended', datasetId: recommendation.datasetId, indexName: subject, detail: { ...measured } })
  }
  ctx.logger.info({ index: subject, ...measured }, 'index recommendation applied')
  return { ...recommendation, status, measured, updatedAt: new Date() }
}

/** Stored statement text is data: it passes the guard again before it runs. */
function recheck(ctx: AdvisorContext, recommendation: IndexRecommendation): PlannableStatement[] {
  return recommendation.helped.map((h) => {
    const guarded = ctx.guard.check(h.sql, { params: h.params.length, admin: true, embedded: ctx.database.kind === 'pglite', maxResultRows: ctx.limits.maxResultRows })
    return { fingerprint: h.fingerprint, text: guarded.text, params: h.params, searchPath: h.searchPath }
  })
}

async function build(ctx: AdvisorContext, recommendation: IndexRecommendation): Promise<void> {
  const concurrent = ctx.database.kind === 'postgres'
  const statement = concurrent ? recommendation.statement.replace(/^CREATE INDEX /, 'CREATE INDEX CONCURRENTLY ') : recommendation.statement
  try {
    await sql.raw(statement).execute(ctx.database.db)
  } catch (error) {
    // A failed concurrent build leaves an INVALID index behind that still slows every write.
    if (concurrent && (error as { code?: string }).code !== '42P07') {
      await sql.raw(`DROP INDEX CONCURRENTLY IF EXISTS ${qualified(recommendation.schema, recommendation.indexName)}`).execute(ctx.database.db)
    }
    if ((error as { code?: string }).code === '42P07') throw new AppError('BAD_INPUT', `Index ${recommendation.indexName} already exists`)
    throw error
  }
  // Expression keys get statistics of their own only from ANALYZE; without them estimates stay generic.
  if (recommendation.keys.some((k) => k.fn !== null)) await sql`ANALYZE ${sql.table(`${recommendation.schema}.${recommendation.table}`)}`.execute(ctx.database.db)
}

function gainOf(recommendation: IndexRecommendation, before: number[], after: number[], threshold: number): MeasuredGain {
  const calls = recommendation.helped.map((h) => h.calls)
  const beforeMs = before.reduce((sum, ms, i) => sum + ms * calls[i]!, 0) / Math.max(1, calls.reduce((a, b) => a + b, 0))
  const afterMs = after.reduce((sum, ms, i) => sum + ms * calls[i]!, 0) / Math.max(1, calls.reduce((a, b) => a + b, 0))
  const speedup = afterMs > 0 ? beforeMs / afterMs : beforeMs > 0 ? Number.POSITIVE_INFINITY : 1
  const words = `measured ${beforeMs.toFixed(2)} ms → ${afterMs.toFixed(2)} ms per call (${speedup.toFixed(1)}× over ${formatCount(calls.length)} statements)`
  const note = speedup >= threshold
    ? `Index kept: ${words}.`
    : `The measured gain is below ${threshold}× (${words}); dropping the index is recommended.`
  return { beforeMs, afterMs, speedup: Number.isFinite(speedup) ? speedup : 1e9, note }
}
