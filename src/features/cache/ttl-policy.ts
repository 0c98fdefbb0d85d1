import type { CacheLimits } from './cache-limits.ts'

export interface Clock {
  now(): number
}

export interface TtlPolicy {
  /** A dataset got a new version, was deleted or was invalidated: it is more volatile from now on. */
  recordChange(datasetId: string): void
  /** Lifetime for an entry reading these datasets: half the recent mean interval between changes, bounded. */
  ttlFor(datasetIds: readonly string[]): number
  /** Changes of the dataset inside the volatility window. */
  recentChanges(datasetId: string): number
}

// Enough history to tell "hourly" from "every second" without letting a hot dataset grow memory.
const MAX_CHANGES_KEPT = 4_096

export function createTtlPolicy(deps: {
  limits: Pick<CacheLimits, 'ttlMinMs' | 'ttlMaxMs' | 'volatilityWindowMs' | 'ttlJitter'>
  clock: Clock
  random?: () => number
}): TtlPolicy {
  const { limits, clock } = deps
  const random = deps.random ?? Math.random
  const changes = new Map<string, number[]>()

  const recent = (datasetId: string): number[] => {
    const times = changes.get(datasetId)
    if (!times) return []
    const since = clock.now() - limits.volatilityWindowMs
    while (times.length > 0 && times[0]! < since) times.shift()
    if (times.length === 0) changes.delete(datasetId)
    return times
  }

  const baseTtl = (datasetId: string): number => {
    const times = recent(datasetId)
    if (times.length === 0) return limits.ttlMaxMs
    // Mean interval between changes over the whole window: a dataset that changed once today is not "bursty".
    return limits.volatilityWindowMs / times.length / 2
  }

  return {
    recordChange(datasetId) {
      const times = changes.get(datasetId) ?? []
      times.push(clock.now())
      if (times.length > MAX_CHANGES_KEPT) times.shift()
      changes.set(datasetId, times)
    },
    ttlFor(datasetIds) {
      const base = Math.min(limits.ttlMaxMs, ...datasetIds.map(baseTtl))
      // Jitter only shortens, so the max bound holds and entries filled together spread out.
      const jittered = base * (1 - limits.ttlJitter * random())
      return Math.round(Math.max(limits.ttlMinMs, jittered))
    },
    recentChanges: (datasetId) => recent(datasetId).length,
  }
}
