import { createWindowedStats, type WindowedStats } from './windowed-stats.ts'

export interface Series<M> {
  key: string
  meta: M
  stats: WindowedStats
}

export interface SeriesTable<M> {
  /** The series for `key`; undefined until `add`ed. A lookup is not a use: recording a sample is. */
  get(key: string): Series<M> | undefined
  /**
   * A new series for `key`, for the caller that just found none. Split from `get` so the per-request lookup takes
   * no callback (a closure per call).
   */
  add(key: string, meta: M): Series<M>
  all(): Series<M>[]
  size(): number
}

/**
 * Series keyed by operation or fingerprint. Bounded: an application that generates endless distinct statements
 * evicts the series recorded into least recently instead of growing without limit; `onEvict` lets a caller drop
 * its own references to it.
 *
 * Recency is the series' own last sample time rather than a use counter kept by `get`: callers hold on to a
 * series between samples (the per-request path then makes no lookup here at all), and the search for the least
 * recent one (a scan of at most `max`, a few hundred) is paid only when a new key arrives in a full table, which
 * is rare and follows a statement that ran anyway. Ties go to the series added first.
 */
export function createSeriesTable<M extends object>(max: number, onEvict: (series: Series<M>) => void = () => {}): SeriesTable<M> {
  const entries = new Map<string, Series<M>>()

  const evictLeastRecent = () => {
    let oldest: Series<M> | null = null
    for (const series of entries.values()) {
      if (oldest === null || series.stats.lastSeen() < oldest.stats.lastSeen()) oldest = series
    }
    if (oldest === null) return
    entries.delete(oldest.key)
    onEvict(oldest)
  }

  return {
    get: (key) => entries.get(key),
    add(key, meta) {
      const series = { key, meta, stats: createWindowedStats() }
      if (!entries.has(key) && entries.size >= max) evictLeastRecent()
      entries.set(key, series)
      return series
    },
    all: () => [...entries.values()],
    size: () => entries.size,
  }
}
