import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { CacheLoad, ResultCache, SqlResult } from '../sql/sql-types.ts'
import type { CacheKeyInput } from './cache-key.ts'
import type { CacheLimits } from './cache-limits.ts'
import type { CacheCounters, CacheLevel, FingerprintStats } from './cache-stats.ts'
import type { BreakerState } from './circuit-breaker.ts'
import type { Clock } from './ttl-policy.ts'

export interface CreateCacheOptions {
  /** Commands client for L2, or null for L1 only. Create it with `enableOfflineQueue: false` so outages fail fast. */
  redis: Redis | null
  /** A second client for pub/sub (a subscribed client cannot run commands), or null. */
  subscriber: Redis | null
  logger: Logger
  limits?: Partial<CacheLimits>
  /** Namespace of every Redis key and the channel, so deployments can share one Redis. */
  prefix: string
  /** Identifies this instance in invalidation messages (its own are ignored). */
  instanceId: string
  clock?: Clock
  /** Source of TTL jitter; tests pass a fixed one. */
  random?: () => number
}

export type Lookup = { result: SqlResult; level: CacheLevel | null }

export interface InvalidationOutcome {
  /** L1 entries this instance dropped. */
  dropped: number
  generation: number
  /** Whether other instances were told (false when Redis is absent or down). */
  propagated: boolean
}

export interface CacheStats extends CacheCounters {
  instanceId: string
  entries: number
  bytes: number
  maxBytes: number
  inFlight: number
  l2: { enabled: boolean; breaker: BreakerState | null; errors: number; trips: number }
}

export interface QueryCache extends ResultCache {
  /**
   * L1 → L2 → `load`, with concurrent misses on one key sharing one load (on this instance, and across instances
   * through a Redis lock). A hit's result is a shallow copy with `cached`/`cacheLevel` set; its `rows` are shared
   * with the cache, so callers must not mutate them.
   */
  getOrLoad(key: CacheKeyInput, load: () => Promise<CacheLoad>): Promise<Lookup>
  /** Admin invalidation: every entry that read the dataset becomes unreachable on every instance. */
  invalidateDataset(datasetId: string): Promise<InvalidationOutcome>
  /** Ingest saw a new version or a deletion: the same as `invalidateDataset` (both count towards volatility). */
  datasetChanged(datasetId: string): Promise<InvalidationOutcome>
  /** 'L1' empties this instance's memory; 'L2' or no level makes every entry on every instance unreachable. */
  clear(level?: CacheLevel): Promise<void>
  /**
   * Calls `listener` whenever a dataset changes or is invalidated here or on any other instance, so per-instance
   * memos of catalog data can be dropped too. null means "everything": the cache was cleared, or the pub/sub
   * connection came back after a gap in which messages may have been lost. Returns the unsubscribe.
   */
  onInvalidation(listener: (datasetId: string | null) => void): () => void
  /** Resolves when the background L2 writes started so far are done (a peer can then read them). */
  writesSettled(): Promise<void>
  stats(): CacheStats
  fingerprintStats(limit?: number): FingerprintStats[]
  stop(): Promise<void>
}
