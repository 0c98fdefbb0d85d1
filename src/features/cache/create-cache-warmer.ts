import type { Logger } from 'pino'
import type { Viewer } from '../auth/viewer.ts'
import type { QueryCache } from './query-cache.ts'

/** A recent, frequent statement from the workload record, with the caller it ran for. */
export interface WarmStatement {
  sql: string
  params: readonly unknown[]
  viewer: Viewer
  first?: number | null
}

export interface CacheWarmerLimits {
  /** Most statements re-run per dataset. Default 20. */
  maxStatements: number
  /** Wall-time budget of one warm-up; the running statement is aborted when it ends. Default 10 s. */
  budgetMs: number
}

export const DEFAULT_WARMER_LIMITS: Readonly<CacheWarmerLimits> = Object.freeze({ maxStatements: 20, budgetMs: 10_000 })

export interface CacheWarmer {
  /** Re-runs the dataset's top statements now; resolves to how many ran to completion. */
  warm(datasetId: string): Promise<number>
  /** Warms in the background (after start-up or an upload); a request during a warm-up queues one more round. */
  schedule(datasetId: string): void
  stop(): Promise<void>
}

export function createCacheWarmer(deps: {
  /** The cache being warmed; without one (caching off) warming would only load the database, so it does nothing. */
  cache?: Pick<QueryCache, 'getOrLoad'> | null
  /** Runs one statement through the executor (and so through the cache), with source `warm`. */
  run: (statement: WarmStatement, signal: AbortSignal) => Promise<unknown>
  topStatements: (datasetId: string, n: number) => Promise<WarmStatement[]>
  logger: Logger
  limits?: Partial<CacheWarmerLimits>
}): CacheWarmer {
  const { cache, run, topStatements, logger } = deps
  const limits = { ...DEFAULT_WARMER_LIMITS, ...deps.limits }
  const running = new Map<string, Promise<unknown>>()
  const again = new Set<string>()
  const controllers = new Set<AbortController>()
  let stopped = false

  const warm = async (datasetId: string): Promise<number> => {
    if (!cache || stopped) return 0
    const controller = new AbortController()
    controllers.add(controller)
    const timer = setTimeout(() => controller.abort(new Error('cache warm-up budget spent')), limits.budgetMs)
    let warmed = 0
    try {
      const statements = (await topStatements(datasetId, limits.maxStatements)).slice(0, limits.maxStatements)
      // One at a time: warming shares the machine with live traffic and must not crowd it out.
      for (const statement of statements) {
        if (controller.signal.aborted) break
        try {
          await run(statement, controller.signal)
          warmed += 1
        } catch (err) {
          logger.debug({ err, datasetId }, 'cache warm-up statement failed')
        }
      }
    } finally {
      clearTimeout(timer)
      controllers.delete(controller)
    }
    logger.info({ datasetId, warmed }, 'cache warmed')
    return warmed
  }

  const schedule = (datasetId: string) => {
    if (stopped) return
    if (running.has(datasetId)) return void again.add(datasetId)
    const round = warm(datasetId)
      .catch((err: unknown) => logger.warn({ err, datasetId }, 'cache warm-up failed'))
      .finally(() => {
        running.delete(datasetId)
        if (again.delete(datasetId)) schedule(datasetId)
      })
    running.set(datasetId, round)
  }

  return {
    warm,
    schedule,
    async stop() {
      stopped = true
      for (const controller of controllers) controller.abort(new Error('cache warmer stopped'))
      await Promise.allSettled([...running.values()])
    },
  }
}
