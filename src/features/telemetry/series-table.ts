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

interface Entry<M> { series: Series<M>; seen: number }

/**
 * Series keyed by operation or fingerprint. Bounded: an application that generates endless distinct statements
 * evicts the least recently seen series instead of growing without limit.
 *
 * A Map with a use counter rather than an LRU list: `get` runs twice per request and here costs one lookup and
 * one store, while the search for the least recently seen entry (a scan of at most `max`, a few hundred) is
 * paid only when a new key arrives in a full table, which is rare and follows a statement that ran anyway.
 */
export function createSeriesTable<M extends object>(max: number): SeriesTable<M> {
  const entries = new Map<string, Entry<M>>()
  let uses = 0

  const evictLeastRecent = () => {
    let oldest: string | null = null
    let oldestSeen = Infinity
    for (const [key, entry] of entries) {
      if (entry.seen < oldestSeen) [oldest, oldestSeen] = [key, entry.seen]
    }
    if (oldest !== null) entries.delete(oldest)
  }

  return {
    get(key) {
      const entry = entries.get(key)
      if (entry === undefined) return undefined
      entry.seen = ++uses
      return entry.series
    },
    add(key, meta) {
      const series = { key, meta, stats: createWindowedStats() }
      if (!entries.has(key) && entries.size >= max) evictLeastRecent()
      entries.set(key, { series, seen: ++uses })
      return series
    },
    peek: (key) => entries.get(key)?.series,
    all: () => [...entries.values()].map((entry) => entry.series),
    size: () => entries.size,
  }
}
