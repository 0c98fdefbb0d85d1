import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client'
import { ERROR_STATUS } from '../../errors.ts'
import { HotCounter, HotHistogram, type CounterSeries, type HistogramSeries } from './hot-path-metrics.ts'
import { createLabelLimiter, type LabelLimiter } from './label-limiter.ts'
import type { Alert, OperationSample, OperationType, ResourceSample, StatementSample } from './telemetry-types.ts'

/** Seconds; spans sub-millisecond cache hits to statements at the default 5 s timeout and beyond. */
const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

/** Entries of each per-request lookup memo below; far above the label bounds, so only a flood of values empties one. */
const MEMO_LIMIT = 1_024
const ERROR_CODES = Object.keys(ERROR_STATUS)
const OPERATION_TYPES = ['query', 'mutation', 'subscription']

export interface PrometheusMetricsOptions {
  /** Distinct fingerprints / operation names given their own label; the rest share `other`. Default 50 / 50. */
  maxFingerprints?: number
  maxOperations?: number
  /** prom-client's process and Node.js metrics (CPU, memory, GC, event loop). Default true. */
  defaultMetrics?: boolean
}

export interface PrometheusMetrics {
  registry: Registry
  operation(sample: OperationSample): void
  statement(sample: StatementSample): void
  resources(sample: ResourceSample): void
  alerts(active: Alert[]): void
  /** Re-ranks the labelled fingerprints/operations by recent total time and drops series of evicted ones. */
  rerank(fingerprints: readonly string[], operations: readonly string[]): void
}

type CacheLabel = 'none' | 'L1' | 'L2'

/**
 * The series one fingerprint label writes to, found with one lookup per statement. A duration series is made on
 * its first statement, so /metrics shows no empty cache levels.
 */
interface FingerprintSeries {
  label: string
  duration: Record<CacheLabel, HistogramSeries | null>
  rows: CounterSeries
}

/**
 * `inFlight` is the monitor's own count of executing operations, read at scrape time rather than mirrored into a
 * gauge on every request.
 */
export function createPrometheusMetrics(options: PrometheusMetricsOptions = {}, deps: { inFlight?: () => number } = {}): PrometheusMetrics {
  const registry = new Registry()
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry })
  const fingerprints = createLabelLimiter(options.maxFingerprints ?? 50)
  const operations = createLabelLimiter(options.maxOperations ?? 50)
  const m = defineMetrics(registry, deps.inFlight ?? (() => 0))
  const cacheSeries = {
    L1: { hit: m.cache.labels('L1', 'hit'), miss: m.cache.labels('L1', 'miss') },
    L2: { hit: m.cache.labels('L2', 'hit'), miss: m.cache.labels('L2', 'miss') },
  }
  // By label, so it holds at most the label bound plus `other`; a re-rank deletes the labels whose series it
  // removes, so no entry keeps writing to a series the registry no longer exports.
  const byLabel = new Map<string, FingerprintSeries>()
  const seriesOfLabel = (label: string): FingerprintSeries => {
    let found = byLabel.get(label)
    if (!found) byLabel.set(label, (found = { label, duration: { none: null, L1: null, L2: null }, rows: m.sqlRows.labels(label) }))
    return found
  }
  // What each fingerprint and operation name writes to, found with one lookup per request instead of the label
  // limiter's and the metric's own. Only a re-rank changes a label, so it empties these; many distinct values that
  // share `other` could grow them without bound, so they are also emptied at `MEMO_LIMIT`.
  const byFingerprint = new Map<string, FingerprintSeries>()
  const fingerprintSeries = (fingerprint: string): FingerprintSeries => {
    let found = byFingerprint.get(fingerprint)
    if (!found) {
      if (byFingerprint.size >= MEMO_LIMIT) byFingerprint.clear()
      byFingerprint.set(fingerprint, (found = seriesOfLabel(fingerprints.label(fingerprint))))
    }
    return found
  }
  const opDurations: Record<OperationType, Map<string, HistogramSeries>> = { query: new Map(), mutation: new Map(), subscription: new Map() }
  const operationDuration = (name: string, type: OperationType): HistogramSeries => {
    const byName = opDurations[type]
    let found = byName.get(name)
    if (!found) {
      if (byName.size >= MEMO_LIMIT) byName.clear()
      byName.set(name, (found = m.opDuration.labels(operations.label(name), type)))
    }
    return found
  }

  const dropSeries = (limiter: LabelLimiter, ranking: readonly string[], drop: (value: string) => void) => {
    for (const value of limiter.refresh(ranking)) drop(value)
  }

  return {
    registry,
    operation({ name, type, durationMs, error }) {
      operationDuration(name, type).observe(durationMs / 1000)
      if (error) m.opErrors.inc({ operation: operations.label(name), type, code: error })
    },
    statement({ fingerprint, durationMs, rows, error, cacheLevel }) {
      const series = fingerprintSeries(fingerprint)
      const level = cacheLevel ?? 'none'
      const duration = (series.duration[level] ??= m.sqlDuration.labels(series.label, level))
      duration.observe(durationMs / 1000)
      series.rows.inc(rows)
      if (error) m.sqlErrors.inc({ fingerprint: series.label, code: error })
      // A statement served by L1 never asked L2; one served by L2 missed L1; an executed one missed both.
      cacheSeries.L1[cacheLevel === 'L1' ? 'hit' : 'miss'].inc()
      if (cacheLevel !== 'L1') cacheSeries.L2[cacheLevel === 'L2' ? 'hit' : 'miss'].inc()
    },
    resources(r) {
      m.eventLoopP99.set(r.eventLoopDelayP99Ms / 1000)
      m.subscriptions.set(r.openSubscriptions)
      if (r.pgPool) for (const [state, n] of Object.entries(r.pgPool)) m.pool.set({ state }, n)
      if (r.redis) {
        m.redisUp.set(r.redis.status === 'ready' ? 1 : 0)
        if (r.redis.rttMs !== null) m.redisRtt.set(r.redis.rttMs / 1000)
      }
      for (const [queue, depth] of Object.entries(r.queueDepths)) m.queue.set({ queue }, depth)
    },
    alerts(active) {
      for (const severity of ['INFO', 'WARNING', 'CRITICAL']) {
        m.alerts.set({ severity }, active.filter((a) => a.severity === severity).length)
      }
    },
    rerank(fps, ops) {
      byFingerprint.clear()
      for (const byName of Object.values(opDurations)) byName.clear()
      dropSeries(fingerprints, fps, (fingerprint) => {
        byLabel.delete(fingerprint)
        m.sqlDuration.remove({ fingerprint })
        m.sqlRows.remove({ fingerprint })
        for (const code of ERROR_CODES) m.sqlErrors.remove({ fingerprint, code })
      })
      dropSeries(operations, ops, (operation) => {
        m.opDuration.remove({ operation })
        for (const type of OPERATION_TYPES) {
          for (const code of ERROR_CODES) m.opErrors.remove({ operation, type, code })
        }
      })
    },
  }
}

function defineMetrics(registry: Registry, inFlight: () => number) {
  const registers = [registry]
  return {
    opDuration: new HotHistogram({ name: 'phers_graphql_operation_duration_seconds', help: 'GraphQL operation execution time (subscriptions: setup only)', labelNames: ['operation', 'type'], buckets: DURATION_BUCKETS, registry }),
    opErrors: new Counter({ name: 'phers_graphql_operation_errors_total', help: 'GraphQL operations that returned errors', labelNames: ['operation', 'type', 'code'], registers }),
    inFlight: new Gauge({ name: 'phers_graphql_operations_in_flight', help: 'GraphQL operations executing now', registers, collect() { this.set(inFlight()) } }),
    sqlDuration: new HotHistogram({ name: 'phers_sql_duration_seconds', help: 'SQL statement time by fingerprint; cache=L1|L2 when served from cache', labelNames: ['fingerprint', 'cache'], buckets: DURATION_BUCKETS, registry }),
    sqlErrors: new Counter({ name: 'phers_sql_errors_total', help: 'SQL statements that failed', labelNames: ['fingerprint', 'code'], registers }),
    sqlRows: new HotCounter({ name: 'phers_sql_rows_returned_total', help: 'Rows returned by SQL statements', labelNames: ['fingerprint'], registry }),
    cache: new HotCounter({ name: 'phers_cache_requests_total', help: 'Result cache lookups by level and result', labelNames: ['level', 'result'], registry }),
    eventLoopP99: new Gauge({ name: 'phers_event_loop_delay_p99_seconds', help: 'Event-loop delay p99 over the last sampling second', registers }),
    subscriptions: new Gauge({ name: 'phers_subscriptions_open', help: 'Open GraphQL subscriptions', registers }),
    pool: new Gauge({ name: 'phers_pg_pool_connections', help: 'PostgreSQL pool clients by state', labelNames: ['state'], registers }),
    redisUp: new Gauge({ name: 'phers_redis_up', help: '1 when the Redis client is ready', registers }),
    redisRtt: new Gauge({ name: 'phers_redis_rtt_seconds', help: 'Redis PING round trip', registers }),
    queue: new Gauge({ name: 'phers_queue_depth', help: 'Waiting items per guard queue', labelNames: ['queue'], registers }),
    alerts: new Gauge({ name: 'phers_alerts_active', help: 'Active alerts on this instance by severity', labelNames: ['severity'], registers }),
  }
}
