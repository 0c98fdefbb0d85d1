import type { Logger } from 'pino'
import type { BaselineRepository } from './baseline-repository.ts'
import { updateBaseline, type Baseline, type BaselineOptions } from './ewma-baseline.ts'
import type { ObservedSeries } from './telemetry-observation.ts'
import type { Clock } from './telemetry-types.ts'

export interface BaselineTracker {
  get(kind: string, subject: string): Baseline | null
  /**
   * Folds the last `intervalMs` of each series into its baseline, skipping series `frozen` says are in
   * regression (pending or firing), so a slowdown never becomes the new normal while it is being alerted on.
   */
  learn(series: ObservedSeries[], intervalMs: number, frozen: (s: ObservedSeries) => boolean): void
  load(): Promise<void>
  persist(): Promise<void>
}

export function createBaselineTracker(deps: {
  repository: BaselineRepository
  options: BaselineOptions
  clock: Clock
  logger: Logger
}): BaselineTracker {
  const baselines = new Map<string, Baseline>()
  const dirty = new Set<string>()
  return {
    get: (kind, subject) => baselines.get(`${kind}:${subject}`) ?? null,
    learn(series, intervalMs, frozen) {
      const now = deps.clock.now()
      for (const s of series) {
        const w = s.summarize(intervalMs)
        if (w.count === 0 || frozen(s)) continue
        const key = `${s.kind}:${s.key}`
        baselines.set(key, updateBaseline(baselines.get(key) ?? null, w, now, deps.options))
        dirty.add(key)
      }
    },
    async load() {
      for (const [key, baseline] of await deps.repository.load()) baselines.set(key, baseline)
      deps.logger.debug({ baselines: baselines.size }, 'telemetry baselines loaded')
    },
    async persist() {
      if (dirty.size === 0) return
      const keys = [...dirty]
      dirty.clear()
      await deps.repository.save(keys.flatMap((k) => {
        const b = baselines.get(k)
        return b ? [[k, b] as [string, Baseline]] : []
      }))
    },
  }
}
