import type { Viewer } from '../auth/viewer.ts'
import type { WarmStatement } from './create-cache-warmer.ts'

/** The part of a workload entry warming needs (the workload recorder's `top` returns these among others). */
export interface FrequentStatement {
  sampleSql: string
  sampleParams: unknown[]
  /** Viewer id the statement ran for: warming re-runs it as that viewer, so it fills that viewer's key. */
  scope: string
  calls: number
  errors: number
}

/**
 * Adapts the workload record to the warmer's `topStatements`: the most frequent statements reading the dataset,
 * re-run as the viewer who ran them. Statements that only ever failed, and viewers that no longer exist
 * (revoked keys), are skipped rather than re-run.
 */
export function workloadTopStatements(deps: {
  top: (options: { datasetId: string; limit: number }) => Promise<FrequentStatement[]>
  viewerOf: (scope: string) => Promise<Viewer | null>
}): (datasetId: string, n: number) => Promise<WarmStatement[]> {
  return async (datasetId, n) => {
    const entries = await deps.top({ datasetId, limit: n })
    const statements: WarmStatement[] = []
    for (const entry of entries) {
      if (entry.errors >= entry.calls) continue
      const viewer = await deps.viewerOf(entry.scope)
      if (viewer) statements.push({ sql: entry.sampleSql, params: entry.sampleParams, viewer })
    }
    return statements
  }
}
