import { describe, expect, it } from 'vitest'
import { createAlertEngine } from './alert-engine.ts'
import { buildAlertRules } from './alert-rules.ts'
import { mergeAlertRules } from './alert-rules-config.ts'
import { DEFAULT_BASELINE_OPTIONS, type Baseline } from './ewma-baseline.ts'
import type { HeapTrend } from './heap-trend.ts'
import type { ObservedSeries, TelemetryObservation } from './telemetry-observation.ts'
import type { ResourceSample, WindowSummary } from './telemetry-types.ts'

const resources = (over: Partial<ResourceSample> = {}): ResourceSample => ({
  at: 0, cpuPercent: 1, rssBytes: 1, heapUsedBytes: 1, heapLimitBytes: 2, eventLoopDelayP50Ms: 1,
  eventLoopDelayP99Ms: 2, eventLoopDelayMaxMs: 3, gcPauseMs: 0, gcCount: 0, pgPool: null, redis: null,
  openSubscriptions: 0, inFlightOperations: 0, queueDepths: {}, cache: {}, ...over,
})

const summary = (p95Ms: number, count: number, errors = 0): WindowSummary => ({
  window: '1m', count, errors, errorRate: count ? errors / count : 0, ratePerSec: count / 60, totalMs: p95Ms * count,
  p50Ms: p95Ms, p95Ms, p99Ms: p95Ms, rows: 0, cacheHits: 0, cacheHitRatio: null,
})

const warm: Baseline = { p95Ms: 10, ratePerSec: 1, samples: 10, updatedAt: 0 }
const flatHeap: HeapTrend = { slopeBytesPerMin: 0, risingShare: 0, points: 0, latestBytes: null }

function harness(overrides = {}) {
  const clock = { t: 1_000_000, now() { return this.t } }
  let n = 0
  const config = mergeAlertRules(overrides)
  const engine = createAlertEngine<TelemetryObservation>({
    rules: buildAlertRules(config, DEFAULT_BASELINE_OPTIONS), instanceId: 'i1', clock, newId: () => `a${++n}`,
  })
  const observe = (o: Partial<TelemetryObservation>) =>
    engine.evaluate({ resources: resources(), series: [], heap: flatHeap, cache: { recentRatio: null, recentRequests: 0, longRatio: null }, ...o })
  return { clock, engine, observe }
}

const fp = (p95: number, count = 50, baseline: Baseline | null = warm): ObservedSeries => ({
  kind: 'fingerprint', key: 'fp1', baseline, summarize: () => summary(p95, count),
})

describe('alert engine: latency regression', () => {
  it('fires only after the condition held for the `for` duration, once', () => {
    const { clock, observe, engine } = harness()
    expect(observe({ series: [fp(40)] })).toEqual([])
    expect(engine.isEngaged('latency_regression', 'fp1')).toBe(true)
    expect(engine.isActive('latency_regression', 'fp1')).toBe(false)
    clock.t += 29_000
    expect(observe({ series: [fp(40)] })).toEqual([])
    clock.t += 1_000
    const [fired] = observe({ series: [fp(40)] })
    expect(fired).toMatchObject({ kind: 'FIRED', alert: { id: 'a1', rule: 'latency_regression', subject: 'fp1', value: 40, threshold: 30, resolvedAt: null } })
    clock.t += 60_000
    expect(observe({ series: [fp(45)] })).toEqual([])
    expect(engine.active()).toHaveLength(1)
    expect(engine.active()[0]!.value).toBe(45)
  })

  it('resets the pending timer when the condition lapses', () => {
    const { clock, observe } = harness()
    observe({ series: [fp(40)] })
    clock.t += 20_000
    observe({ series: [fp(12)] })
    clock.t += 20_000
    expect(observe({ series: [fp(40)] })).toEqual([])
    clock.t += 29_000
    expect(observe({ series: [fp(40)] })).toEqual([])
  })

  it('keeps firing inside the hysteresis band and resolves below the lower threshold', () => {
    const { clock, observe, engine } = harness({ latencyRegression: { forMs: 0 } })
    expect(observe({ series: [fp(40)] })[0]!.kind).toBe('FIRED')
    clock.t += 1_000
    expect(observe({ series: [fp(25)] })).toEqual([]) // below 3× but above 2×: still active
    clock.t += 1_000
    const [resolved] = observe({ series: [fp(15)] })
    expect(resolved).toMatchObject({ kind: 'RESOLVED', alert: { id: 'a1', value: 15 } })
    expect(resolved!.alert.resolvedAt?.getTime()).toBe(clock.t)
    expect(engine.active()).toEqual([])
  })

  it('resolves when the load stops (too few samples) and when the subject disappears', () => {
    const { clock, observe } = harness({ latencyRegression: { forMs: 0 } })
    observe({ series: [fp(40)] })
    clock.t += 1_000
    expect(observe({ series: [fp(40, 2)] })[0]!.kind).toBe('RESOLVED')
    observe({ series: [fp(40)] })
    clock.t += 1_000
    expect(observe({ series: [] })[0]!.kind).toBe('RESOLVED')
  })

  it('ignores subjects whose baseline is still warming up', () => {
    const { observe } = harness({ latencyRegression: { forMs: 0 } })
    expect(observe({ series: [fp(400, 50, { ...warm, samples: 2 })] })).toEqual([])
  })
})

describe('alert engine: resource rules', () => {
  it('fires pg pool saturation after waiting > 0 for 10 s and resolves after 5 s clear', () => {
    const { clock, observe } = harness()
    const pool = (waiting: number) => resources({ pgPool: { total: 10, idle: 0, waiting } })
    observe({ resources: pool(3) })
    clock.t += 10_000
    expect(observe({ resources: pool(1) })[0]).toMatchObject({ kind: 'FIRED', alert: { rule: 'pg_pool_saturation', subjectKind: 'resource' } })
    clock.t += 1_000
    expect(observe({ resources: pool(0) })).toEqual([])
    clock.t += 5_000
    expect(observe({ resources: pool(0) })[0]!.kind).toBe('RESOLVED')
  })

  it('fires redis down, error rate, event loop, heap growth and cache collapse', () => {
    const { observe } = harness({
      redisDown: { forMs: 0 }, errorRate: { forMs: 0 }, eventLoopDelay: { forMs: 0 }, cacheHitCollapse: { forMs: 0 },
    })
    const failing: ObservedSeries = { kind: 'operation', key: 'query Q', baseline: null, summarize: () => summary(1, 100, 20) }
    const events = observe({
      resources: resources({ redis: { status: 'reconnecting', rttMs: null }, eventLoopDelayP99Ms: 500 }),
      series: [failing],
      heap: { slopeBytesPerMin: 10 * 1024 ** 2, risingShare: 1, points: 15, latestBytes: 1 },
      cache: { recentRatio: 0.1, recentRequests: 100, longRatio: 0.9 },
    })
    expect(events.map((e) => e.alert.rule).sort()).toEqual(
      ['cache_hit_collapse', 'error_rate', 'event_loop_delay', 'heap_growth', 'redis_down'],
    )
    expect(events.find((e) => e.alert.rule === 'error_rate')!.alert).toMatchObject({ severity: 'CRITICAL', value: 0.2 })
  })

  it('leaves disabled rules out', () => {
    const { observe } = harness({ redisDown: { enabled: false, forMs: 0 } })
    expect(observe({ resources: resources({ redis: { status: 'end', rttMs: null } }) })).toEqual([])
  })
})
