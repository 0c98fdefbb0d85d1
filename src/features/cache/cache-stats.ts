import { LRUCache } from 'lru-cache'

export type CacheLevel = 'L1' | 'L2'

export interface FingerprintStats {
  fingerprint: string
  hits: number
  misses: number
  hitRatio: number
  /** Sum of the original execution times of this fingerprint's hits. */
  timeSavedMs: number
}

/** Counters since start-up; the cache adds its live figures (entries, bytes, breaker) to the snapshot. */
export interface CacheCounters {
  hits: Record<CacheLevel, number>
  misses: number
  /** Misses that joined an execution already in flight (this instance or, through the lock, another). */
  coalesced: number
  /** Executions the cache asked for. */
  loads: number
  hitRatio: number
  /** Hits served past their TTL while a refresh ran (stale-while-revalidate). */
  staleHits: number
  evictions: number
  timeSavedMs: number
  /** Results the executor marked uncacheable (errors, timeouts) or that exceeded the entry limit. */
  uncacheable: number
  oversized: number
}

export interface CacheStatsRecorder {
  hit(level: CacheLevel, fingerprint: string, originalMs: number, stale: boolean): void
  miss(fingerprint: string): void
  coalesced(): void
  load(): void
  uncacheable(): void
  oversized(): void
  eviction(): void
  counters(): CacheCounters
  fingerprints(limit: number): FingerprintStats[]
}

const ratio = (hits: number, misses: number) => (hits + misses === 0 ? 0 : hits / (hits + misses))

export function createCacheStatsRecorder(deps: { maxFingerprints: number }): CacheStatsRecorder {
  const hits = { L1: 0, L2: 0 }
  const counts = { misses: 0, coalesced: 0, loads: 0, staleHits: 0, evictions: 0, timeSavedMs: 0, uncacheable: 0, oversized: 0 }
  const perFingerprint = new LRUCache<string, { hits: number; misses: number; timeSavedMs: number }>({
    max: Math.max(1, deps.maxFingerprints),
  })
  const slot = (fingerprint: string) => {
    let entry = perFingerprint.get(fingerprint)
    if (!entry) perFingerprint.set(fingerprint, (entry = { hits: 0, misses: 0, timeSavedMs: 0 }))
    return entry
  }

  return {
    hit(level, fingerprint, originalMs, stale) {
      hits[level] += 1
      counts.timeSavedMs += originalMs
      if (stale) counts.staleHits += 1
      const entry = slot(fingerprint)
      entry.hits += 1
      entry.timeSavedMs += originalMs
    },
    miss(fingerprint) {
      counts.misses += 1
      slot(fingerprint).misses += 1
    },
    coalesced: () => void (counts.coalesced += 1),
    load: () => void (counts.loads += 1),
    uncacheable: () => void (counts.uncacheable += 1),
    oversized: () => void (counts.oversized += 1),
    eviction: () => void (counts.evictions += 1),
    counters: () => ({
      hits: { ...hits },
      ...counts,
      hitRatio: ratio(hits.L1 + hits.L2, counts.misses),
    }),
    fingerprints(limit) {
      return [...perFingerprint.entries()]
        .map(([fingerprint, e]) => ({ fingerprint, ...e, hitRatio: ratio(e.hits, e.misses) }))
        .sort((a, b) => b.hits + b.misses - (a.hits + a.misses))
        .slice(0, limit)
    },
  }
}
