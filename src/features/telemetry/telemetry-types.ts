import type { ErrorCode } from '../../errors.ts'

/** Milliseconds since the epoch; injected so windows, baselines and alerts can be tested without waiting. */
export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

export type OperationType = 'query' | 'mutation' | 'subscription'

export interface OperationSample {
  name: string
  type: OperationType
  durationMs: number
  error: ErrorCode | null
}

export type CacheLevel = 'L1' | 'L2'

export interface StatementSample {
  fingerprint: string
  sql: string
  durationMs: number
  rows: number
  error: ErrorCode | null
  cacheLevel: CacheLevel | null
  datasets: string[]
  /** Who ran it: a bottleneck's plan is taken as the viewer of its sample statement. */
  viewerId?: string
}

/** What the optimizer learned from the latest EXPLAIN of a fingerprint. */
export interface PlanSummary {
  capturedAt: Date
  totalCost: number | null
  executionMs: number | null
  seqScans: { table: string; rows: number }[]
  diskSorts: { node: string; spaceKb: number }[]
  misestimates: { node: string; estimatedRows: number; actualRows: number }[]
}

export type WindowName = '1m' | '5m' | '1h'

export interface WindowSummary {
  window: WindowName
  count: number
  errors: number
  errorRate: number
  ratePerSec: number
  totalMs: number
  p50Ms: number
  p95Ms: number
  p99Ms: number
  rows: number
  cacheHits: number
  /** Null when no sample could have been cached (e.g. operations). */
  cacheHitRatio: number | null
}

export interface SeriesSummary {
  key: string
  windows: WindowSummary[]
}

export interface OperationSummary extends SeriesSummary {
  name: string
  type: OperationType
}

export interface FingerprintSummary extends SeriesSummary {
  fingerprint: string
  sql: string
  datasets: string[]
}

export interface Bottleneck {
  fingerprint: string
  sql: string
  datasets: string[]
  window: WindowName
  calls: number
  errors: number
  totalMs: number
  meanMs: number
  p95Ms: number
  rows: number
  cacheHitRatio: number | null
  plan: PlanSummary | null
}

export interface ResourceSample {
  at: number
  cpuPercent: number
  rssBytes: number
  heapUsedBytes: number
  heapLimitBytes: number
  eventLoopDelayP50Ms: number
  eventLoopDelayP99Ms: number
  eventLoopDelayMaxMs: number
  /** GC pause time and count during the last sampling interval. */
  gcPauseMs: number
  gcCount: number
  pgPool: { total: number; idle: number; waiting: number } | null
  redis: { status: string; rttMs: number | null } | null
  openSubscriptions: number
  inFlightOperations: number
  queueDepths: Record<string, number>
  cache: Record<string, number>
}

export type Severity = 'INFO' | 'WARNING' | 'CRITICAL'
export const SEVERITIES: readonly Severity[] = ['INFO', 'WARNING', 'CRITICAL']

export type SubjectKind = 'operation' | 'fingerprint' | 'resource'

export interface Alert {
  id: string
  rule: string
  severity: Severity
  subjectKind: SubjectKind
  subject: string
  message: string
  value: number
  threshold: number
  firedAt: Date
  resolvedAt: Date | null
  instanceId: string
}

export interface AlertEvent {
  kind: 'FIRED' | 'RESOLVED'
  alert: Alert
}

export interface PerformanceSnapshot {
  instanceId: string
  takenAt: Date
  resources: ResourceSample
  operations: OperationSummary[]
  fingerprints: FingerprintSummary[]
  alerts: Alert[]
}

/** Optional probes the integrator passes in; each may be absent when the resource does not exist. */
export interface TelemetrySources {
  pgPool?: () => { total: number; idle: number; waiting: number } | null
  redis?: () => Promise<{ status: string; rttMs: number | null }> | null
  openSubscriptions?: () => number
  queueDepths?: () => Record<string, number>
  cacheStats?: () => Record<string, number>
}
