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
 * Recency is the series' own last sample time rather than a use counter kept by `get`: a caller may find a series
 * through an index of its own (the recorder's operations by type and name) and still keep it alive by recording
 * into it, and `get` writes nothing on the per-request path. The search for the least
 * recent one (a scan of at most `max`, a few hundred) is paid only when a new key arrives in a full table, which
 * is rare and follows a statement that ran anyway. Ties go to the series added first.
 */
export function createSeriesTable<M extends object>(max: number, onEvict: (series: Series<M>) => void = () => {}): SeriesTable<M> {
  return new BoundedSeriesTable(max, onEvict)
}

/** A class rather than closures: a lookup reaches the Map through the table itself, one object fewer (see windowed-stats). */
class BoundedSeriesTable<M extends object> implements SeriesTable<M> {
  private readonly entries = new Map<string, Series<M>>()
  constructor(private readonly max: number, private readonly onEvict: (series: Series<M>) => void) {}

  get(key: string) {
    return this.entries.get(key)
  }

  add(key: string, meta: M) {
    const series = { key, meta, stats: createWindowedStats() }
    if (!this.entries.has(key) && this.entries.size >= this.max) this.evictLeastRecent()
    this.entries.set(key, series)
    return series
  }

  all() {
    return [...this.entries.values()]
  }

  size() {
    return this.entries.size
  }

  private evictLeastRecent() {
    let oldest: Series<M> | null = null
    for (const series of this.entries.values()) {
      if (oldest === null || series.stats.lastSeen() < oldest.stats.lastSeen()) oldest = series
    }
    if (oldest === null) return
    this.entries.delete(oldest.key)
    this.onEvict(oldest)
  }
}
