import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import type { ActivityLog } from './activity-log.ts'
import type { AlertQuery } from './alert-repository.ts'
import type { AlertRulesOverrides } from './alert-rules-config.ts'
import type { BaselineOptions } from './ewma-baseline.ts'
import type { Page } from './keyset-cursor.ts'
import type { PlanCaptureOptions, PlanExplainer } from './plan-capture.ts'
import type { PrometheusMetricsOptions } from './prometheus-metrics.ts'
import type {
  Alert, AlertEvent, Bottleneck, Clock, OperationSample, PerformanceSnapshot, PlanSummary, StatementSample,
  TelemetrySources,
} from './telemetry-types.ts'

export const ALERT_EVENTS_TOPIC = 'alertEvents'

/** The slice of a graphql-yoga `createPubSub` instance telemetry publishes through (in-memory or Redis). */
export interface AlertPublisher {
  publish(topic: typeof ALERT_EVENTS_TOPIC, event: AlertEvent): void
}

export interface TelemetryOptions {
  /** Resource sampling and alert evaluation period. Default 1000 ms. */
  sampleIntervalMs?: number
  /** Baseline learning period; each period is one EWMA sample. Default 60 000 ms. */
  baselineIntervalMs?: number
  baseline?: Partial<BaselineOptions>
  /** Operations and fingerprints per snapshot. Default 10. */
  topN?: number
  /**
   * Snapshots are reused for this long, so concurrent readers share one; short, because a reused snapshot is
   * that much older on delivery. Default 50 ms.
   */
  snapshotCacheMs?: number
  /** Series kept in memory. Defaults 256 fingerprints, 128 operations (see PerformanceRecorderOptions). */
  maxFingerprints?: number
  maxOperations?: number
  prometheus?: PrometheusMetricsOptions
  /**
   * Plan summaries of bottlenecks (needs `explainPlan`): every `intervalMs` (default 60 000) and whenever
   * `bottlenecks` is read, the top `top` (default 10) fingerprints by total time over the last hour get a plan.
   */
  plans?: PlanCaptureOptions & { top?: number; intervalMs?: number }
}

export interface TelemetryDeps {
  db: Kysely<any>
  pubsub: AlertPublisher
  logger: Logger
  clock?: Clock
  rules?: AlertRulesOverrides
  instanceId: string
  sources?: TelemetrySources
  options?: TelemetryOptions
  /** Takes EXPLAIN of a bottleneck's sample statement; without it bottlenecks carry no plan. */
  explainPlan?: PlanExplainer
}

export interface Telemetry {
  recordOperation(sample: OperationSample): void
  recordStatement(sample: StatementSample): void
  recordPlan(fingerprint: string, plan: PlanSummary): void
  /** In-flight operations and open subscriptions as counted by the `useTelemetry` plugin. */
  adjustInFlight(delta: number): void
  adjustSubscriptions(delta: number): void
  snapshot(): Promise<PerformanceSnapshot>
  snapshots(intervalMs: number, signal?: AbortSignal): AsyncIterableIterator<PerformanceSnapshot>
  /** Alert history from the database (every instance's), newest first. */
  alerts(query?: AlertQuery): Promise<Page<Alert>>
  /** Alerts active on this instance now. */
  activeAlerts(): Alert[]
  /** Reading them also starts, in the background, a plan capture for those without a fresh plan. */
  bottlenecks(n: number): Bottleneck[]
  /** Captures missing or stale plans of the top fingerprints now; resolves with how many were taken. */
  capturePlans(): Promise<number>
  activity: ActivityLog
  registry: Registry
  /** One sampling + alert evaluation round; the timer calls it every second, tests call it directly. */
  evaluate(): Promise<AlertEvent[]>
  /** One baseline learning round, persisted. */
  learnBaselines(): Promise<void>
  start(): Promise<void>
  stop(): Promise<void>
}
