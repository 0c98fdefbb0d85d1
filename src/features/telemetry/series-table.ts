import { LRUCache } from 'lru-cache'
import { createWindowedStats, type WindowedStats } from './windowed-stats.ts'

export interface Series<M> {
  key: string
  meta: M
  stats: WindowedStats
}

export interface SeriesTable<M> {
  /** The series for `key`, marked as just seen; undefined until `add`ed. */
  get(key: string): Series<M> | undefined
  /**
   * A new series for `key`, for the caller that just found none. Split from `get` so the per-request lookup takes
   * no callback (a closure per call).
   */
  add(key: string, meta: M): Series<M>
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
    get: (key) => cache.get(key),
    add(key, meta) {
      const series = { key, meta, stats: createWindowedStats() }
      cache.set(key, series)
      return series
    },
    peek: (key) => cache.peek(key),
    all: () => [...cache.values()],
    size: () => cache.size,
  }
}
