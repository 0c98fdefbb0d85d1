import { createSeriesTable, type Series } from './series-table.ts'
import { WINDOWS, createWindowedStats } from './windowed-stats.ts'
import type { PlanCandidate } from './plan-capture.ts'
import type {
  Bottleneck, Clock, FingerprintSummary, OperationSample, OperationSummary, OperationType, PlanSummary,
  StatementSample, WindowName,
} from './telemetry-types.ts'

/** Longest SQL text kept per fingerprint: enough to recognise it, bounded so memory stays predictable. */
const MAX_SQL_CHARS = 2_000
const WINDOW_NAMES = Object.keys(WINDOWS) as WindowName[]

export interface OperationMeta { name: string; type: OperationType }
/** `sql` and `viewerId` are of the first statement seen: the sample a plan is taken from. */
export interface FingerprintMeta { sql: string; viewerId: string | null; datasets: string[]; plan: PlanSummary | null }

export interface PerformanceRecorderOptions {
  clock: Clock
  /**
   * Series kept in memory (least recently seen evicted). Defaults 256 fingerprints, 128 operations: at most
   * 180 buckets of ~0.5 KB per series, so the worst case (every series busy for a full hour) stays under ~35 MB.
   */
  maxFingerprints?: number
  maxOperations?: number
}

export interface PerformanceRecorder {
  operation(sample: OperationSample): void
  statement(sample: StatementSample): void
  plan(fingerprint: string, plan: PlanSummary): void
  operationSeries(): Series<OperationMeta>[]
  fingerprintSeries(): Series<FingerprintMeta>[]
  /** Top `n` by total time over `rankBy` (default 5 min), each with all three windows. */
  topOperations(n: number, rankBy?: WindowName): OperationSummary[]
  topFingerprints(n: number, rankBy?: WindowName): FingerprintSummary[]
  bottlenecks(n: number, window?: WindowName): Bottleneck[]
  /** The sample statements of the top `n` fingerprints by total time over `window` (default 1 h). */
  planCandidates(n: number, window?: WindowName): PlanCandidate[]
  /** Hit ratio over every cacheable statement in the window. */
  cacheRatio(windowMs: number): { ratio: number | null; requests: number }
}

export const operationKey = (type: OperationType, name: string) => `${type} ${name}`

export function createPerformanceRecorder(options: PerformanceRecorderOptions): PerformanceRecorder {
  const { clock } = options
  // The operation series by type and name, as the plugin passes them (the same string objects every time, their
  // hash kept): one lookup per operation, and no key string built per call. Kept in step with the table.
  const byName: Record<OperationType, Map<string, Series<OperationMeta>>> = { query: new Map(), mutation: new Map(), subscription: new Map() }
  const operations = createSeriesTable<OperationMeta>(options.maxOperations ?? 128, (evicted) => byName[evicted.meta.type].delete(evicted.meta.name))
  const addOperation = (name: string, type: OperationType) => {
    const series = operations.add(operationKey(type, name), { name, type })
    byName[type].set(name, series)
    return series
  }
  const fingerprints = createSeriesTable<FingerprintMeta>(options.maxFingerprints ?? 256)
  const allStatements = createWindowedStats({ latency: false })

  const windowsOf = (s: Series<object>, now: number) => WINDOW_NAMES.map((w) => s.stats.summarize(WINDOWS[w], now, w))
  const ranked = <M extends object>(series: Series<M>[], n: number, rankBy: WindowName, now: number) =>
    series
      .map((s) => ({ s, total: s.stats.totalMs(WINDOWS[rankBy], now) }))
      .filter((x) => x.total > 0)
      .sort((a, b) => b.total - a.total)
      .slice(0, n)
      .map((x) => x.s)

  return {
    operation({ name, type, durationMs, error }) {
      const series = byName[type].get(name) ?? addOperation(name, type)
      series.stats.record({ durationMs, error: error !== null, rows: 0, cacheHit: null }, clock.now())
    },
    statement({ fingerprint, sql, durationMs, rows, error, cacheLevel, datasets, viewerId }) {
      const now = clock.now()
      const series =
        fingerprints.get(fingerprint) ?? fingerprints.add(fingerprint, { sql: sql.slice(0, MAX_SQL_CHARS), viewerId: viewerId ?? null, datasets, plan: null })
      series.meta.datasets = datasets
      const sample = { durationMs, error: error !== null, rows, cacheHit: cacheLevel !== null }
      series.stats.record(sample, now)
      allStatements.record(sample, now)
    },
    plan(fingerprint, plan) {
      const series = fingerprints.get(fingerprint)
      if (series) series.meta.plan = plan
    },
    operationSeries: () => operations.all(),
    fingerprintSeries: () => fingerprints.all(),
    topOperations(n, rankBy = '5m') {
      const now = clock.now()
      return ranked(operations.all(), n, rankBy, now).map((s) => ({ key: s.key, ...s.meta, windows: windowsOf(s, now) }))
    },
    topFingerprints(n, rankBy = '5m') {
      const now = clock.now()
      return ranked(fingerprints.all(), n, rankBy, now).map((s) => ({
        key: s.key, fingerprint: s.key, sql: s.meta.sql, datasets: s.meta.datasets, windows: windowsOf(s, now),
      }))
    },
    bottlenecks(n, window = '1h') {
      const now = clock.now()
      return ranked(fingerprints.all(), n, window, now).map((s) => {
        const w = s.stats.summarize(WINDOWS[window], now, window)
        return {
          fingerprint: s.key, sql: s.meta.sql, datasets: s.meta.datasets, window, calls: w.count, errors: w.errors,
          totalMs: w.totalMs, meanMs: w.count ? w.totalMs / w.count : 0, p95Ms: w.p95Ms, rows: w.rows,
          cacheHitRatio: w.cacheHitRatio, plan: s.meta.plan,
        }
      })
    },
    planCandidates(n, window = '1h') {
      // A truncated sample is not the statement that ran: no plan rather than a plan of something else.
      return ranked(fingerprints.all(), n, window, clock.now())
        .filter((s) => s.meta.sql.length < MAX_SQL_CHARS)
        .map((s) => ({ fingerprint: s.key, sql: s.meta.sql, viewerId: s.meta.viewerId, capturedAt: s.meta.plan?.capturedAt ?? null }))
    },
    cacheRatio(windowMs) {
      const w = allStatements.summarize(windowMs, clock.now())
      return { ratio: w.cacheHitRatio, requests: w.count }
    },
  }
}
