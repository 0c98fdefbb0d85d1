import { describe, expect, it } from 'vitest'
import { binOf, binValue, percentileOf, BIN_COUNT } from './log-histogram.ts'
import { createWindowedStats } from './windowed-stats.ts'
import { createSeriesTable } from './series-table.ts'

const ok = (durationMs: number, extra: Partial<{ error: boolean; rows: number; cacheHit: boolean | null }> = {}) => ({
  durationMs,
  error: false,
  rows: 0,
  cacheHit: null,
  ...extra,
})

describe('log histogram', () => {
  it('reports any value within 10 % of itself', () => {
    for (const ms of [0.05, 0.9, 3, 17, 250, 4_000, 90_000]) {
      expect(Math.abs(binValue(binOf(ms)) - ms) / ms).toBeLessThan(0.1)
    }
  })

  it('clamps values outside the range to the edge bins', () => {
    expect(binOf(0)).toBe(0)
    expect(binOf(10 ** 9)).toBe(BIN_COUNT - 1)
  })

  it('finds percentiles by rank', () => {
    const bins = new Uint32Array(BIN_COUNT)
    bins[binOf(1)] = 90
    bins[binOf(100)] = 10
    expect(percentileOf(bins, 100, 0.5)).toBeCloseTo(binValue(binOf(1)))
    expect(percentileOf(bins, 100, 0.95)).toBeCloseTo(binValue(binOf(100)))
  })
})

describe('windowed stats', () => {
  it('keeps 1 min, 5 min and 1 h windows apart', () => {
    const stats = createWindowedStats()
    const t0 = 1_800_000_000_000
    for (let i = 0; i < 100; i++) stats.record(ok(500), t0)
    const later = t0 + 120_000
    for (let i = 0; i < 100; i++) stats.record(ok(5, { error: i < 10 }), later)

    const oneMinute = stats.summarize(60_000, later, '1m')
    expect(oneMinute.count).toBe(100)
    expect(oneMinute.errors).toBe(10)
    expect(oneMinute.errorRate).toBeCloseTo(0.1)
    expect(oneMinute.p95Ms).toBeLessThan(6)

    const fiveMinutes = stats.summarize(300_000, later, '5m')
    expect(fiveMinutes.count).toBe(200)
    expect(fiveMinutes.p50Ms).toBeLessThan(6)
    expect(fiveMinutes.p99Ms).toBeGreaterThan(450)
    expect(fiveMinutes.totalMs).toBe(100 * 500 + 100 * 5)
    expect(stats.totalMs(300_000, later)).toBe(fiveMinutes.totalMs)
    expect(stats.totalMs(60_000, later)).toBe(oneMinute.totalMs)
  })

  it('counts every second exactly once in the coarse windows, the current one included', () => {
    const stats = createWindowedStats()
    const t0 = 1_800_000_000_000
    // Ten seconds of one sample each, then a clock that steps back into a second already rolled up.
    for (let s = 0; s < 10; s++) stats.record(ok(10), t0 + s * 1_000 + 500)
    stats.record(ok(10), t0 + 5_700)
    const now = t0 + 9_900
    for (const [windowMs, name] of [[60_000, '1m'], [300_000, '5m'], [3_600_000, '1h']] as const) {
      expect(stats.summarize(windowMs, now, name)).toMatchObject({ count: 11, totalMs: 110 })
      expect(stats.totalMs(windowMs, now)).toBe(110)
    }
    // Once the 1 s buckets age out of the minute, the coarser windows still hold them.
    const later = now + 120_000
    expect(stats.summarize(60_000, later).count).toBe(0)
    expect(stats.summarize(300_000, later, '5m').count).toBe(11)
  })

  it('forgets samples older than the window and reuses ring slots', () => {
    const stats = createWindowedStats()
    const t0 = 1_800_000_000_000
    stats.record(ok(10), t0)
    const afterAnHour = t0 + 3_700_000
    expect(stats.summarize(3_600_000, afterAnHour, '1h').count).toBe(0)
    stats.record(ok(10), afterAnHour)
    expect(stats.summarize(60_000, afterAnHour).count).toBe(1)
  })

  it('computes cache hit ratio only over cacheable samples', () => {
    const stats = createWindowedStats()
    const t = 1_800_000_000_000
    stats.record(ok(1, { cacheHit: true, rows: 3 }), t)
    stats.record(ok(1, { cacheHit: false, rows: 4 }), t)
    stats.record(ok(1, { cacheHit: true, rows: 5 }), t)
    const s = stats.summarize(60_000, t)
    expect(s.cacheHitRatio).toBeCloseTo(2 / 3)
    expect(s.rows).toBe(12)
  })
})

describe('windowed stats without latency', () => {
  it('keeps counts and the cache hit ratio, and reports no percentiles', () => {
    const stats = createWindowedStats({ latency: false })
    const t = 1_000_000
    stats.record(ok(400, { cacheHit: true, rows: 2 }), t)
    stats.record(ok(2, { cacheHit: false, error: true }), t + 1_500)
    const s = stats.summarize(60_000, t + 2_000)
    expect(s).toMatchObject({ count: 2, errors: 1, rows: 2, cacheHits: 1, cacheHitRatio: 0.5, p50Ms: 0, p99Ms: 0 })
    expect(s.totalMs).toBe(402)
    expect(stats.summarize(3_600_000, t + 2_000)).toMatchObject({ count: 2, cacheHits: 1 })
  })
})

describe('series table', () => {
  const add = (table: ReturnType<typeof createSeriesTable<{ n: number }>>, key: string, seenAt: number) => {
    const series = table.add(key, { n: seenAt })
    series.stats.record(ok(1), seenAt)
    return series
  }

  it('evicts the series recorded into least recently beyond its bound, and says which', () => {
    const evicted: string[] = []
    const table = createSeriesTable<{ n: number }>(2, (series) => evicted.push(series.key))
    add(table, 'a', 1_000)
    add(table, 'b', 2_000)
    table.get('a')!.stats.record(ok(1), 3_000)
    expect(table.get('c')).toBeUndefined()
    add(table, 'c', 4_000)
    expect(table.all().map((s) => s.key).sort()).toEqual(['a', 'c'])
    expect(evicted).toEqual(['b'])
  })

  it('counts a sample as use, not a lookup; ties go to the series added first', () => {
    const table = createSeriesTable<{ n: number }>(3)
    for (const key of ['a', 'b', 'c']) add(table, key, 1_000)
    table.get('a')
    add(table, 'd', 1_000) // all seen at the same time, a only looked up since: a, added first, goes
    expect(table.all().map((s) => s.key).sort()).toEqual(['b', 'c', 'd'])
    table.add('b', { n: 9 }) // replacing an existing key evicts nothing
    expect(table.size()).toBe(3)
    expect(table.get('b')?.meta.n).toBe(9)
  })
})
