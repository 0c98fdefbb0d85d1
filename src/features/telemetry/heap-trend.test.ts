import { describe, expect, it } from 'vitest'
import { createHeapTrendTracker } from './heap-trend.ts'
import { updateBaseline, isWarm, DEFAULT_BASELINE_OPTIONS } from './ewma-baseline.ts'

const MB = 1024 ** 2

describe('heap trend', () => {
  it('sees a steady climb of the per-minute floor', () => {
    const tracker = createHeapTrendTracker(10)
    for (let m = 0; m < 12; m++) {
      tracker.record(100 * MB + m * 5 * MB + 30 * MB, m * 60_000) // sawtooth peak
      tracker.record(100 * MB + m * 5 * MB, m * 60_000 + 30_000) // floor after GC
    }
    const trend = tracker.trend()
    expect(trend.points).toBe(10)
    expect(trend.slopeBytesPerMin).toBeCloseTo(5 * MB, -3)
    expect(trend.risingShare).toBe(1)
  })

  it('reports a flat heap as no growth', () => {
    const tracker = createHeapTrendTracker(10)
    for (let m = 0; m < 10; m++) tracker.record(m % 2 ? 100 * MB : 101 * MB, m * 60_000)
    expect(Math.abs(tracker.trend().slopeBytesPerMin)).toBeLessThan(0.2 * MB)
    expect(tracker.trend().risingShare).toBeLessThan(0.6)
  })
})

describe('EWMA baseline', () => {
  it('seeds, moves toward new intervals and warms up after enough samples', () => {
    let b = updateBaseline(null, { p95Ms: 10, ratePerSec: 2 }, 1, DEFAULT_BASELINE_OPTIONS)
    expect(b).toMatchObject({ p95Ms: 10, ratePerSec: 2, samples: 1 })
    b = updateBaseline(b, { p95Ms: 20, ratePerSec: 2 }, 2, DEFAULT_BASELINE_OPTIONS)
    expect(b.p95Ms).toBeCloseTo(12)
    expect(isWarm(b, DEFAULT_BASELINE_OPTIONS)).toBe(false)
    for (let i = 0; i < 3; i++) b = updateBaseline(b, { p95Ms: 12, ratePerSec: 2 }, 3 + i, DEFAULT_BASELINE_OPTIONS)
    expect(isWarm(b, DEFAULT_BASELINE_OPTIONS)).toBe(true)
  })
})
