import { createActivityLog } from './activity-log.ts'
import { createAlertEngine } from './alert-engine.ts'
import { createAlertRepository } from './alert-repository.ts'
import { mergeAlertRules } from './alert-rules-config.ts'
import { buildAlertRules } from './alert-rules.ts'
import { createBaselineRepository } from './baseline-repository.ts'
import { createBaselineTracker } from './baseline-tracker.ts'
import { DEFAULT_BASELINE_OPTIONS } from './ewma-baseline.ts'
import { createHeapTrendTracker } from './heap-trend.ts'
import { createPerformanceRecorder } from './performance-recorder.ts'
import { createPlanCapture } from './plan-capture.ts'
import { createPrometheusMetrics } from './prometheus-metrics.ts'
import { createResourceSampler } from './resource-sampler.ts'
import { createSnapshotFeed } from './snapshot-feed.ts'
import { ALERT_EVENTS_TOPIC, type Telemetry, type TelemetryDeps } from './telemetry-contract.ts'
import type { ObservedSeries, TelemetryObservation } from './telemetry-observation.ts'
import { systemClock, type AlertEvent, type PerformanceSnapshot, type ResourceSample } from './telemetry-types.ts'
import type { WindowedStats } from './windowed-stats.ts'

export { ALERT_EVENTS_TOPIC } from './telemetry-contract.ts'
export type { AlertPublisher, Telemetry, TelemetryDeps, TelemetryOptions } from './telemetry-contract.ts'

/**
 * The performance monitor: records operations and statements, samples resources every second, learns
 * baselines, evaluates alert rules (publishing transitions on `alertEvents` and persisting them), and exposes
 * snapshots, bottlenecks, the activity log and a Prometheus registry of its own.
 */
export function createTelemetry(deps: TelemetryDeps): Telemetry {
  const { db, pubsub, logger, instanceId, sources = {}, options = {} } = deps
  const clock = deps.clock ?? systemClock
  const log = logger.child({ component: 'telemetry' })
  const rulesConfig = mergeAlertRules(deps.rules)
  const baselineOptions = { ...DEFAULT_BASELINE_OPTIONS, ...options.baseline }
  const sampleIntervalMs = options.sampleIntervalMs ?? 1_000
  const baselineIntervalMs = options.baselineIntervalMs ?? 60_000
  const topN = options.topN ?? 10

  const recorder = createPerformanceRecorder({ clock, maxFingerprints: options.maxFingerprints, maxOperations: options.maxOperations })
  let inFlight = 0
  const prometheus = createPrometheusMetrics(options.prometheus, { inFlight: () => inFlight })
  const alertRepo = createAlertRepository(db)
  const activity = createActivityLog({ db, instanceId, clock, logger: log })
  const baselines = createBaselineTracker({ repository: createBaselineRepository(db), options: baselineOptions, clock, logger: log })
  const engine = createAlertEngine<TelemetryObservation>({ rules: buildAlertRules(rulesConfig, baselineOptions), instanceId, clock })
  const heap = createHeapTrendTracker(rulesConfig.heapGrowth.minutes)
  const planTop = options.plans?.top ?? 10
  const plans = deps.explainPlan
    ? createPlanCapture({ explain: deps.explainPlan, record: (f, p) => recorder.plan(f, p), clock, logger: log, options: options.plans })
    : null
  let subscriptions = 0
  const sampler = createResourceSampler({
    sources, clock, inFlight: () => inFlight, subscriptions: () => subscriptions,
    onGc: (bytes, now) => heap.record(bytes, now),
  })

  let latest: ResourceSample | null = null
  let cached: { at: number; snapshot: Promise<PerformanceSnapshot> } | null = null
  let writes: Promise<unknown> = Promise.resolve()
  const timers: NodeJS.Timeout[] = []

  const observedSeries = (): ObservedSeries[] => {
    const now = clock.now()
    const observed = (kind: ObservedSeries['kind'], s: { key: string; stats: WindowedStats }): ObservedSeries => ({
      kind, key: s.key, baseline: baselines.get(kind, s.key), summarize: (w) => s.stats.summarize(w, now),
    })
    return [
      ...recorder.operationSeries().map((s) => observed('operation', s)),
      ...recorder.fingerprintSeries().map((s) => observed('fingerprint', s)),
    ]
  }

  // Persistence is chained so a resolution never overtakes its own insert; failures are logged, never thrown
  // into the request path.
  const persist = (event: AlertEvent) => {
    writes = writes
      .then(() => alertRepo.save(event.alert))
      .then(() => activity.record({
        actor: 'system', action: `alert.${event.kind.toLowerCase()}`, subject: event.alert.id,
        detail: { rule: event.alert.rule, subject: event.alert.subject, severity: event.alert.severity, value: event.alert.value },
      }))
      .catch((error) => log.error({ err: error, alert: event.alert.id }, 'telemetry: could not persist alert event'))
  }

  const sampleResources = async () => {
    latest = await sampler.sample()
    prometheus.resources(latest)
    return latest
  }

  const buildSnapshot = async (): Promise<PerformanceSnapshot> => ({
    instanceId,
    takenAt: new Date(clock.now()),
    resources: latest ?? (await sampleResources()),
    operations: recorder.topOperations(topN),
    fingerprints: recorder.topFingerprints(topN),
    alerts: engine.active(),
  })

  const telemetry: Telemetry = {
    recordOperation(sample) {
      recorder.operation(sample)
      prometheus.operation(sample)
    },
    recordStatement(sample) {
      recorder.statement(sample)
      prometheus.statement(sample)
    },
    recordPlan: (fingerprint, plan) => recorder.plan(fingerprint, plan),
    adjustInFlight(delta) {
      inFlight += delta
    },
    adjustSubscriptions(delta) {
      subscriptions += delta
    },
    snapshot() {
      const now = clock.now()
      if (!cached || now - cached.at >= (options.snapshotCacheMs ?? 50)) cached = { at: now, snapshot: buildSnapshot() }
      return cached.snapshot
    },
    snapshots: (intervalMs, signal) => feed.subscribe(intervalMs, signal),
    alerts: (query = {}) => alertRepo.list(query),
    activeAlerts: () => engine.active(),
    bottlenecks(n) {
      const found = recorder.bottlenecks(n)
      if (plans) void plans.refresh(recorder.planCandidates(Math.min(n, planTop)))
      return found
    },
    capturePlans: async () => (plans ? plans.refresh(recorder.planCandidates(planTop)) : 0),
    activity,
    registry: prometheus.registry,
    async evaluate() {
      const resources = await sampleResources()
      const recent = recorder.cacheRatio(60_000)
      const events = engine.evaluate({
        resources, series: observedSeries(), heap: heap.trend(),
        cache: { recentRatio: recent.ratio, recentRequests: recent.requests, longRatio: recorder.cacheRatio(3_600_000).ratio },
      })
      for (const event of events) {
        log.warn({ alert: event.alert }, `alert ${event.kind.toLowerCase()}: ${event.alert.rule} ${event.alert.subject}`)
        pubsub.publish(ALERT_EVENTS_TOPIC, event)
        persist(event)
      }
      prometheus.alerts(engine.active())
      return events
    },
    async learnBaselines() {
      baselines.learn(observedSeries(), baselineIntervalMs, (s) => engine.isEngaged('latency_regression', s.key))
      prometheus.rerank(
        recorder.topFingerprints(Number.MAX_SAFE_INTEGER, '1h').map((f) => f.fingerprint),
        recorder.topOperations(Number.MAX_SAFE_INTEGER, '1h').map((o) => o.name),
      )
      await baselines.persist()
    },
    async start() {
      sampler.start()
      await baselines.load()
      const orphans = await alertRepo.resolveOrphans(instanceId, new Date(clock.now()))
      if (orphans) log.info({ orphans }, 'telemetry: resolved alerts left open by an earlier run')
      const every = (ms: number, fn: () => Promise<unknown>) => {
        const timer = setInterval(() => void fn().catch((err) => log.error({ err }, 'telemetry round failed')), ms)
        timer.unref()
        timers.push(timer)
      }
      every(sampleIntervalMs, () => telemetry.evaluate())
      every(baselineIntervalMs, () => telemetry.learnBaselines())
      if (plans) every(options.plans?.intervalMs ?? 60_000, () => telemetry.capturePlans())
    },
    async stop() {
      for (const timer of timers.splice(0)) clearInterval(timer)
      feed.stop()
      sampler.stop()
      await plans?.stop()
      await writes
      await baselines.persist().catch((err) => log.error({ err }, 'telemetry: could not persist baselines'))
    },
  }
  const feed = createSnapshotFeed(() => telemetry.snapshot(), (err) => log.error({ err }, 'telemetry snapshot failed'))
  return telemetry
}
