import type { SqlResult } from '../sql/sql-types.ts'

/** What both levels store for one key: the result as first loaded plus its lifetime. */
export interface CacheEntry {
  /** Stored with `cached: false`; a hit returns a copy with `cached`/`cacheLevel` set. */
  result: SqlResult
  fingerprint: string
  datasetIds: string[]
  storedAt: number
  /** Served as fresh until then. */
  freshUntil: number
  /** Served stale (with a background refresh) until then, when stale-while-revalidate is on. */
  expiresAt: number
}
