import { LRUCache } from 'lru-cache'
import { createWindowedStats, type WindowedStats } from './windowed-stats.ts'

export interface Series<M> {
  key: string
  meta: M
  stats: WindowedStats
}

export interface SeriesTable<M> {
  /** The series for `key`, created with `meta()` on first sight; `meta` of an existing series is kept. */
  get(key: string, meta: () => M): Series<M>
  peek(key: string): Series<M> | undefined
  all(): Series<M>[]
  size(): number
}

/**
 * Series keyed by operation or fingerprint. Bounded: an application that generates endless distinct statements
 * evicts the least recently seen series instead of growing without limit.
 */
export function createSeriesTable<M extends object>(max: number): SeriesTable<M> {
  const cache = new LRUCache<string, Series<M>>({ max })
  return {
    get(key, meta) {
      let series = cache.get(key)
      if (!series) {
        series = { key, meta: meta(), stats: createWindowedStats() }
        cache.set(key, series)
      }
      return series
    },
    peek: (key) => cache.peek(key),
    all: () => [...cache.values()],
    size: () => cache.size,
  }
}
