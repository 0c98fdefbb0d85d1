import { BIN_COUNT, binOf, percentileOf } from './log-histogram.ts'
import type { WindowName, WindowSummary } from './telemetry-types.ts'

export interface Sample {
  durationMs: number
  error: boolean
  rows: number
  /** null: not cacheable (operations); true/false: served from cache or not. */
  cacheHit: boolean | null
}

interface Bucket {
  start: number
  count: number
  errors: number
  totalMs: number
  rows: number
  cacheable: number
  cacheHits: number
  bins: Uint32Array
}

/**
 * Three rings of buckets at rising resolution (60 × 1 s, 60 × 5 s, 60 × 60 s) so the 1 min, 5 min and 1 h windows
 * each merge at most 60 buckets and memory stays bounded at 180 buckets per series. A sample lands in the current
 * 1 s bucket, which joins the coarser rings when the next second starts; buckets are allocated lazily, so idle
 * series cost almost nothing.
 */
const RINGS = [
  { widthMs: 1_000, slots: 60 },
  { widthMs: 5_000, slots: 60 },
  { widthMs: 60_000, slots: 60 },
] as const

export const WINDOWS: Record<WindowName, number> = { '1m': 60_000, '5m': 300_000, '1h': 3_600_000 }

export interface WindowedStats {
  record(sample: Sample, now: number): void
  /** Summary of the last `windowMs` (any length up to 1 h, at the resolution of the finest ring covering it). */
  summarize(windowMs: number, now: number, name?: WindowName): WindowSummary
  /** Total time over the window without merging histograms: the cheap key for top-N ranking. */
  totalMs(windowMs: number, now: number): number
  lastSeen(): number
}

/** Every bucket of a series that keeps no latency histogram shares this empty one. */
const NO_BINS = new Uint32Array(0)

/**
 * `latency: false` keeps counts only (percentiles read 0): for a tally such as the overall cache hit ratio, which
 * would otherwise pay a histogram update on every statement for figures nobody reads.
 */
export function createWindowedStats(options: { latency?: boolean } = {}): WindowedStats {
  const latency = options.latency ?? true
  const rings = RINGS.map((r) => ({ ...r, buckets: new Array<Bucket | null>(r.slots).fill(null) }))
  const [fine, ...coarse] = rings as [(typeof rings)[number], ...(typeof rings)[number][]]
  // A sample lands in the 1 s ring only; each 1 s bucket is added to the coarser rings once, when the next one
  // starts. One bucket touched per sample instead of three: this runs on every request.
  let pending: Bucket | null = null
  let lastSeen = 0

  const bucketFor = (ring: (typeof rings)[number], now: number): Bucket => {
    const start = Math.floor(now / ring.widthMs) * ring.widthMs
    const slot = (start / ring.widthMs) % ring.slots
    let bucket = ring.buckets[slot]
    if (!bucket || bucket.start !== start) {
      bucket = { start, count: 0, errors: 0, totalMs: 0, rows: 0, cacheable: 0, cacheHits: 0, bins: latency ? new Uint32Array(BIN_COUNT) : NO_BINS }
      ring.buckets[slot] = bucket
    }
    return bucket
  }

  const rollUp = (from: Bucket) => {
    for (const ring of coarse) add(bucketFor(ring, from.start), from)
  }

  const windowOf = (windowMs: number, now: number) => {
    const ring = rings.find((r) => r.widthMs * r.slots >= windowMs) ?? rings[rings.length - 1]!
    // The current, partial bucket counts, so the window spans the last `windowMs` rounded to the ring's width.
    return { ring, from: Math.floor(now / ring.widthMs) * ring.widthMs - Math.max(windowMs - ring.widthMs, 0) }
  }

  /** The buckets of a window: a coarse ring's, plus the 1 s bucket not yet rolled into it. */
  const bucketsOf = (windowMs: number, now: number): Bucket[] => {
    const { ring, from } = windowOf(windowMs, now)
    const inWindow = (b: Bucket | null): b is Bucket => b !== null && b.start >= from && b.start <= now
    const buckets = ring.buckets.filter(inWindow)
    if (ring !== fine && inWindow(pending)) buckets.push(pending)
    return buckets
  }

  return {
    record(sample, now) {
      lastSeen = now
      // Within the current second the bucket is at hand, without touching the ring. A clock that stepped back keeps
      // counting into the current second too: a bucket is rolled up exactly once.
      const b = pending !== null && now < pending.start + fine.widthMs ? pending : bucketFor(fine, now)
      if (b !== pending) {
        if (pending) rollUp(pending)
        pending = b
      }
      b.count++
      if (sample.error) b.errors++
      b.totalMs += sample.durationMs
      b.rows += sample.rows
      if (sample.cacheHit !== null) b.cacheable++
      if (sample.cacheHit) b.cacheHits++
      if (latency) b.bins[binOf(sample.durationMs)]!++
    },
    totalMs(windowMs, now) {
      let total = 0
      for (const b of bucketsOf(windowMs, now)) total += b.totalMs
      return total
    },
    summarize(windowMs, now, name = '1m') {
      const acc = { start: 0, count: 0, errors: 0, totalMs: 0, rows: 0, cacheable: 0, cacheHits: 0, bins: new Uint32Array(BIN_COUNT) }
      for (const b of bucketsOf(windowMs, now)) add(acc, b)
      const percentile = (q: number) => (latency ? percentileOf(acc.bins, acc.count, q) : 0)
      return {
        window: name,
        count: acc.count,
        errors: acc.errors,
        errorRate: acc.count ? acc.errors / acc.count : 0,
        ratePerSec: acc.count / (windowMs / 1000),
        totalMs: acc.totalMs,
        p50Ms: percentile(0.5),
        p95Ms: percentile(0.95),
        p99Ms: percentile(0.99),
        rows: acc.rows,
        cacheHits: acc.cacheHits,
        cacheHitRatio: acc.cacheable ? acc.cacheHits / acc.cacheable : null,
      }
    },
    lastSeen: () => lastSeen,
  }
}

function add(into: Bucket, from: Bucket): void {
  into.count += from.count
  into.errors += from.errors
  into.totalMs += from.totalMs
  into.rows += from.rows
  into.cacheable += from.cacheable
  into.cacheHits += from.cacheHits
  for (let i = 0; i < from.bins.length; i++) into.bins[i]! += from.bins[i]!
}
