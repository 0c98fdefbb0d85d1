import type { Viewer } from '../auth/viewer.ts'

export interface ResultColumn {
  name: string
  /** PostgreSQL type name, e.g. `text`, `numeric`, `int8`. */
  type: string
}

export interface SqlRequest {
  sql: string
  /** Bound parameters for `$1..$n` (chat binds every value; plain `sql` has none). */
  params?: readonly unknown[]
  viewer: Viewer
  first?: number | null
  after?: string | null
  signal?: AbortSignal
  /** Who issued it: recorded in the workload. */
  source: 'sql' | 'chat' | 'warm' | 'optimizer'
}

export interface SqlResult {
  columns: ResultColumn[]
  /** Rows in column order; bigint/numeric as strings so no precision is lost. */
  rows: unknown[][]
  rowCount: number
  durationMs: number
  pageInfo: { hasNextPage: boolean; endCursor: string | null }
  fingerprint: string
  /** Datasets the statement read, with the version it read. */
  datasets: { id: string; tableName: string; version: number }[]
  cached: boolean
  cacheLevel: 'L1' | 'L2' | null
}

/** The one way features run user-visible SQL: guard → executor (→ cache when wired). */
export interface SqlRunner {
  run(request: SqlRequest): Promise<SqlResult>
}
