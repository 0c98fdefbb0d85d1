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

/** What makes two executions interchangeable: same statement shape and constants, same data, same caller scope. */
export interface ResultCacheKey {
  /** libpg-query fingerprint: equal for spellings that differ in whitespace, keyword case or comments. */
  fingerprint: string
  /** Literal constants of the statement in order of appearance (the fingerprint ignores them). */
  constants: readonly unknown[]
  params: readonly unknown[]
  page: { first: number; after: string | null }
  /** Every dataset the statement reads, at the version it would read now. */
  datasets: readonly { id: string; version: number }[]
  /** Access scope of the caller (owner id or role), so no one is served rows they may not read. */
  scope: string
}

export interface CacheLoad {
  result: SqlResult
  /** False for errors, timeouts and oversized results. */
  cacheable: boolean
}

/** The executor's view of the cache (issue 4): lookup L1 → L2 → load, with single-flight. */
export interface ResultCache {
  getOrLoad(key: ResultCacheKey, load: () => Promise<CacheLoad>): Promise<{ result: SqlResult; level: 'L1' | 'L2' | null }>
}
