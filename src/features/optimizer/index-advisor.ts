import type { Logger } from 'pino'
import type { Database } from '../../infra/database.ts'
import type { DatabaseRoles } from '../auth/database-roles.ts'
import type { Viewer } from '../auth/viewer.ts'
import { createStatementGuard } from '../sql/statement-guard.ts'
import type { WorkloadRecorder } from '../sql/workload-recorder.ts'
import type { AdvisorContext } from './advisor-context.ts'
import type { AdvisorHooks } from './advisor-hooks.ts'
import { applyRecommendation } from './apply-recommendation.ts'
import { runAutoPass, type AutoPassResult } from './auto-indexer.ts'
import { dropIndex } from './drop-index.ts'
import type { ExistingIndex } from './existing-indexes.ts'
import { explainForViewer } from './explain-for-viewer.ts'
import { indexHealth } from './index-health.ts'
import { resolveLimits, type OptimizerLimits } from './optimizer-limits.ts'
import type { ExplainResult, IndexHealthIssue, IndexRecommendation } from './optimizer-types.ts'
import { recommendIndexes, type RecommendationRun } from './recommend-indexes.ts'
import { createRecommendationStore } from './recommendation-store.ts'
import { requireAdmin } from './require-admin.ts'
import { createSerialQueue } from './serial-queue.ts'

export interface IndexAdvisorDeps extends AdvisorHooks {
  database: Database
  /** Reader roles and schemas: EXPLAIN and measurements run as readers, never as the owner. */
  roles: Pick<DatabaseRoles, 'ownerSchema' | 'sharedSchema' | 'readerFor'>
  workload: Pick<WorkloadRecorder, 'top'>
  logger: Logger
  limits?: OptimizerLimits
  /** Auto mode at start (config `autoIndex`, `PHERS_AUTO_INDEX=1`). Default false. */
  autoApply?: boolean
}

export interface IndexAdvisor {
  /** Fresh recommendations for a dataset from its recorded workload (also stored). */
  recommend(datasetId: string): Promise<RecommendationRun>
  /** Builds a recommendation's index (admin) and records the measured before/after latency. */
  apply(id: string, viewer: Viewer): Promise<IndexRecommendation>
  /** Drops a dataset index (admin); never one backing a constraint. */
  drop(indexName: string, viewer: Viewer): Promise<ExistingIndex>
  health(datasetId?: string): Promise<IndexHealthIssue[]>
  explain(sql: string, viewer: Viewer, options?: { analyze?: boolean }): Promise<ExplainResult>
  /** Turns auto mode on or off (admin); returns the new state. */
  setAuto(enabled: boolean, viewer: Viewer): boolean
  autoEnabled(): boolean
  /** One auto-mode pass now (the timer runs the same). */
  runAutoPass(): Promise<AutoPassResult>
  stop(): Promise<void>
}

/**
 * The index advisor. Recommend, apply, drop and auto passes run one at a time: two evaluations building
 * indexes on the same table at once would only wait on each other's locks and skew each other's timings.
 */
export function createIndexAdvisor(deps: IndexAdvisorDeps): IndexAdvisor {
  const limits = resolveLimits(deps.limits ?? {})
  const hooks: AdvisorHooks = { activity: deps.activity, onEvent: deps.onEvent }
  const store = createRecommendationStore(deps.database.db)
  const contextReady = createStatementGuard().then((guard): AdvisorContext => ({
    database: deps.database, roles: deps.roles, workload: deps.workload, guard, store, logger: deps.logger, limits,
  }))
  const queue = createSerialQueue()
  let auto = deps.autoApply ?? false
  let timer: NodeJS.Timeout | null = null

  const recommend = (datasetId: string) => queue.run(async () => {
    const run = await recommendIndexes(await contextReady, datasetId)
    for (const r of run.recommendations) {
      deps.onEvent?.({ type: 'index.recommended', datasetId, indexName: `${r.schema}.${r.indexName}`, detail: { costBefore: r.costBefore, costAfter: r.costAfter, sizeBytes: r.sizeBytes } })
    }
    return run
  })

  async function autoPass(): Promise<AutoPassResult> {
    const ctx = await contextReady
    return runAutoPass(ctx, hooks, (datasetId) => recommendIndexes(ctx, datasetId))
  }

  function schedule(): void {
    if (timer) clearInterval(timer)
    timer = null
    if (!auto) return
    timer = setInterval(() => {
      queue.run(autoPass).catch((error: unknown) => deps.logger.warn({ err: error }, 'automatic index pass failed'))
    }, limits.autoIntervalMs)
    timer.unref()
  }
  schedule()

  return {
    recommend,
    apply: async (id, viewer) => queue.run(async () => applyRecommendation(await contextReady, hooks, id, viewer)),
    drop: async (indexName, viewer) => queue.run(async () => dropIndex(await contextReady, hooks, indexName, viewer)),
    health: async (datasetId) => indexHealth(await contextReady, datasetId),
    explain: async (sql, viewer, options) => explainForViewer(await contextReady, sql, viewer, options),
    setAuto(enabled, viewer) {
      requireAdmin(viewer)
      auto = enabled
      deps.activity?.record({ actor: viewer.id, action: 'index.auto-mode', subject: 'optimizer', detail: { enabled } })
      schedule()
      return auto
    },
    autoEnabled: () => auto,
    runAutoPass: () => queue.run(autoPass),
    async stop() {
      auto = false
      schedule()
      await queue.idle()
    },
  }
}
