import type { Baseline } from './ewma-baseline.ts'
import type { HeapTrend } from './heap-trend.ts'
import type { ResourceSample, SubjectKind, WindowSummary } from './telemetry-types.ts'

/** A series as alert rules see it: summaries on demand, so each rule picks its own window. */
export interface ObservedSeries {
  kind: Extract<SubjectKind, 'operation' | 'fingerprint'>
  key: string
  summarize(windowMs: number): WindowSummary
  baseline: Baseline | null
}

/** Everything the alert rules read at one evaluation. */
export interface TelemetryObservation {
  resources: ResourceSample
  series: ObservedSeries[]
  heap: HeapTrend
  /** Cache hit ratio over all cacheable statements, short window vs long window. */
  cache: { recentRatio: number | null; recentRequests: number; longRatio: number | null }
}
