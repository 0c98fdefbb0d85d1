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
 * each merge at most 60 buckets and memory stays bounded at 180 buckets per series. A sample is counted in the
 * series' current second, which joins the rings when the next second starts. Ring buckets are allocated lazily, so
 * an idle series costs its three empty rings and the current second's histogram (about 2 KB).
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
const FINE_MS = RINGS[0].widthMs

interface Ring { widthMs: number; slots: number; buckets: (Bucket | null)[] }

/**
 * The current second is counted in fields of the series' own object, not in a bucket of the ring: a sample then
 * touches this object and one histogram bin, and nothing else. Between requests the rest of the request's work
 * evicts the monitor's data from the CPU caches, so each further object a sample reaches through (a closure
 * context, a bucket, a ring) is a cache miss on every request (measured in bench:telemetry). The second is added
 * to all three rings once, when the next one starts.
 */
class RingedStats implements WindowedStats {
  /** Start of the current second; -Infinity before the first sample. */
  private start = -Infinity
  private count = 0
  private errors = 0
  private totalMsSum = 0
  private rows = 0
  private cacheable = 0
  private cacheHits = 0
  private readonly bins: Uint32Array
  private seen = 0
  private readonly rings: Ring[]

  constructor(private readonly latency: boolean) {
    this.bins = latency ? new Uint32Array(BIN_COUNT) : NO_BINS
    this.rings = RINGS.map((r) => ({ ...r, buckets: new Array<Bucket | null>(r.slots).fill(null) }))
  }

  record(sample: Sample, now: number) {
    this.seen = now
    // A clock that stepped back keeps counting into the current second: a second is added to the rings exactly once.
    if (now >= this.start + FINE_MS) this.close(now)
    this.count++
    if (sample.error) this.errors++
    this.totalMsSum += sample.durationMs
    this.rows += sample.rows
    if (sample.cacheHit !== null) this.cacheable++
    if (sample.cacheHit) this.cacheHits++
    if (this.latency) this.bins[binOf(sample.durationMs)]!++
  }

  totalMs(windowMs: number, now: number) {
    let total = 0
    for (const b of this.bucketsOf(windowMs, now)) total += b.totalMs
    return total
  }

  summarize(windowMs: number, now: number, name: WindowName = '1m'): WindowSummary {
    const acc = emptyBucket(0, true)
    for (const b of this.bucketsOf(windowMs, now)) add(acc, b)
    const percentile = (q: number) => (this.latency ? percentileOf(acc.bins, acc.count, q) : 0)
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
  }

  lastSeen() {
    return this.seen
  }

  /** Adds the current second to every ring and starts the one `now` falls in. */
  private close(now: number) {
    if (this.count > 0) {
      const second = this.current()
      for (const ring of this.rings) add(bucketFor(ring, second.start, this.latency), second)
      this.count = this.errors = this.totalMsSum = this.rows = this.cacheable = this.cacheHits = 0
      this.bins.fill(0)
    }
    this.start = Math.floor(now / FINE_MS) * FINE_MS
  }

  /** The current second as a bucket (its bins shared, not copied): read by summaries and `close`. */
  private current(): Bucket {
    const { start, count, errors, totalMsSum: totalMs, rows, cacheable, cacheHits, bins } = this
    return { start, count, errors, totalMs, rows, cacheable, cacheHits, bins }
  }

  /** The buckets of a window: the finest ring covering it, plus the current second. */
  private bucketsOf(windowMs: number, now: number): Bucket[] {
    const ring = this.rings.find((r) => r.widthMs * r.slots >= windowMs) ?? this.rings[this.rings.length - 1]!
    // The current, partial bucket counts, so the window spans the last `windowMs` rounded to the ring's width.
    const from = Math.floor(now / ring.widthMs) * ring.widthMs - Math.max(windowMs - ring.widthMs, 0)
    const inWindow = (b: Bucket | null): b is Bucket => b !== null && b.start >= from && b.start <= now
    const buckets = ring.buckets.filter(inWindow)
    const second = this.current()
    if (second.count > 0 && inWindow(second)) buckets.push(second)
    return buckets
  }
}

const emptyBucket = (start: number, latency: boolean): Bucket =>
  ({ start, count: 0, errors: 0, totalMs: 0, rows: 0, cacheable: 0, cacheHits: 0, bins: latency ? new Uint32Array(BIN_COUNT) : NO_BINS })

function bucketFor(ring: Ring, at: number, latency: boolean): Bucket {
  const start = Math.floor(at / ring.widthMs) * ring.widthMs
  const slot = (start / ring.widthMs) % ring.slots
  let bucket = ring.buckets[slot]
  if (!bucket || bucket.start !== start) ring.buckets[slot] = bucket = emptyBucket(start, latency)
  return bucket
}

/**
 * `latency: false` keeps counts only (percentiles read 0): for a tally such as the overall cache hit ratio, which
 * would otherwise pay a histogram update on every statement for figures nobody reads.
 */
export function createWindowedStats(options: { latency?: boolean } = {}): WindowedStats {
  return new RingedStats(options.latency ?? true)
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
