import { isWarm, type BaselineOptions } from './ewma-baseline.ts'
import type { AlertRule, Condition } from './alert-engine.ts'
import type { TelemetryObservation } from './telemetry-observation.ts'
import type { AlertRulesConfig, RuleBase } from './alert-rules-config.ts'

const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2))
const MB = 1024 ** 2
type Rule = AlertRule<TelemetryObservation>

const rule = (name: string, base: RuleBase, evaluate: Rule['evaluate']): Rule => ({
  name,
  severity: base.severity,
  forMs: base.forMs,
  clearForMs: base.clearForMs,
  evaluate,
})

const resource = (subject: string, c: Omit<Condition, 'subjectKind' | 'subject'>): Condition => ({
  subjectKind: 'resource',
  subject,
  ...c,
})

/** Builds the enabled rules; `baselines` tells the latency rule when a baseline is trusted. */
export function buildAlertRules(config: AlertRulesConfig, baselines: BaselineOptions): Rule[] {
  const rules: (Rule | null)[] = [
    latencyRegressionRule(config.latencyRegression, baselines),
    errorRateRule(config.errorRate),
    eventLoopDelayRule(config.eventLoopDelay),
    heapGrowthRule(config.heapGrowth),
    pgPoolSaturationRule(config.pgPoolSaturation),
    cacheHitCollapseRule(config.cacheHitCollapse),
    redisDownRule(config.redisDown),
  ]
  return rules.filter((r): r is Rule => r !== null)
}

function latencyRegressionRule(c: AlertRulesConfig['latencyRegression'], baselines: BaselineOptions): Rule | null {
  if (!c.enabled) return null
  return rule('latency_regression', c, (o) =>
    o.series.flatMap((s) => {
      if (!isWarm(s.baseline, baselines)) return []
      const w = s.summarize(c.windowMs)
      // Too few samples to trust a p95: treat as normal, which is also how a stopped load resolves the alert.
      const value = w.count >= c.minCount ? w.p95Ms : 0
      const threshold = Math.max(s.baseline.p95Ms * c.factor, c.minLatencyMs)
      return [{
        subjectKind: s.kind,
        subject: s.key,
        value,
        threshold,
        firing: value > threshold,
        clear: value < Math.max(s.baseline.p95Ms * c.resolveFactor, c.minLatencyMs),
        message: `p95 ${fmt(value)} ms over ${c.windowMs / 1000} s is above ${c.factor}× its baseline ${fmt(s.baseline.p95Ms)} ms`,
      }]
    }),
  )
}

function errorRateRule(c: AlertRulesConfig['errorRate']): Rule | null {
  if (!c.enabled) return null
  return rule('error_rate', c, (o) =>
    o.series.flatMap((s) => {
      const w = s.summarize(c.windowMs)
      if (w.count === 0 && w.errors === 0) return []
      const value = w.count >= c.minCount ? w.errorRate : 0
      return [{
        subjectKind: s.kind,
        subject: s.key,
        value,
        threshold: c.ratio,
        firing: value > c.ratio,
        clear: value < c.resolveRatio,
        message: `${(value * 100).toFixed(1)} % of ${w.count} calls failed in the last ${c.windowMs / 1000} s`,
      }]
    }),
  )
}

function eventLoopDelayRule(c: AlertRulesConfig['eventLoopDelay']): Rule | null {
  if (!c.enabled) return null
  return rule('event_loop_delay', c, ({ resources: r }) => [
    resource('event_loop', {
      value: r.eventLoopDelayP99Ms,
      threshold: c.p99Ms,
      firing: r.eventLoopDelayP99Ms > c.p99Ms,
      clear: r.eventLoopDelayP99Ms < c.resolveP99Ms,
      message: `event-loop delay p99 ${fmt(r.eventLoopDelayP99Ms)} ms (limit ${c.p99Ms} ms)`,
    }),
  ])
}

function heapGrowthRule(c: AlertRulesConfig['heapGrowth']): Rule | null {
  if (!c.enabled) return null
  return rule('heap_growth', c, ({ heap }) => {
    const enough = heap.points >= c.minutes
    const steady = enough && heap.risingShare >= c.minRisingShare
    return [
      resource('heap', {
        value: heap.slopeBytesPerMin,
        threshold: c.minSlopeBytesPerMin,
        firing: steady && heap.slopeBytesPerMin > c.minSlopeBytesPerMin,
        clear: heap.slopeBytesPerMin < c.minSlopeBytesPerMin / 2,
        message: `heap after GC grew ${fmt(heap.slopeBytesPerMin / MB)} MB/min over ${heap.points} min (leak suspicion)`,
      }),
    ]
  })
}

function pgPoolSaturationRule(c: AlertRulesConfig['pgPoolSaturation']): Rule | null {
  if (!c.enabled) return null
  return rule('pg_pool_saturation', c, ({ resources: { pgPool } }) =>
    pgPool
      ? [resource('pg_pool', {
          value: pgPool.waiting,
          threshold: 0,
          firing: pgPool.waiting > 0,
          clear: pgPool.waiting === 0,
          message: `${pgPool.waiting} clients waiting for one of ${pgPool.total} pool connections`,
        })]
      : [],
  )
}

function cacheHitCollapseRule(c: AlertRulesConfig['cacheHitCollapse']): Rule | null {
  if (!c.enabled) return null
  return rule('cache_hit_collapse', c, ({ cache }) => {
    if (cache.longRatio === null || cache.longRatio < c.minLongRatio) return []
    const value = cache.recentRequests >= c.minRequests ? (cache.recentRatio ?? 0) : cache.longRatio
    return [
      resource('cache', {
        value,
        threshold: cache.longRatio * c.dropFactor,
        firing: value < cache.longRatio * c.dropFactor,
        clear: value >= cache.longRatio * c.resolveFactor,
        message: `cache hit ratio ${(value * 100).toFixed(0)} % vs ${(cache.longRatio * 100).toFixed(0)} % over the last hour`,
      }),
    ]
  })
}

function redisDownRule(c: AlertRulesConfig['redisDown']): Rule | null {
  if (!c.enabled) return null
  return rule('redis_down', c, ({ resources: { redis } }) =>
    redis
      ? [resource('redis', {
          value: redis.status === 'ready' ? 0 : 1,
          threshold: 1,
          firing: redis.status !== 'ready',
          clear: redis.status === 'ready',
          message: `Redis is ${redis.status}`,
        })]
      : [],
  )
}
