import type { CacheLoad } from '../sql/sql-types.ts'
import type { CacheEntry } from './cache-entry.ts'
import type { CacheKeyInput } from './cache-key.ts'
import { serializeEntry } from './entry-codec.ts'

export type PreparedEntry = { entry: CacheEntry; serialized: Buffer; lifetimeMs: number }

/**
 * What a load leaves in the cache: the entry and its serialized form (which L2 stores and whose size L1 counts),
 * or why nothing is kept. Throws when v8 cannot serialize a value in the rows.
 */
export function prepareEntry(input: {
  key: CacheKeyInput
  loaded: CacheLoad
  now: number
  freshMs: number
  staleMs: number
  maxEntryBytes: number
}): PreparedEntry | 'uncacheable' | 'oversized' {
  const { key, loaded, now, freshMs, staleMs } = input
  if (!loaded.cacheable) return 'uncacheable'
  const entry: CacheEntry = {
    result: { ...loaded.result, cached: false, cacheLevel: null },
    fingerprint: key.fingerprint,
    datasetIds: key.datasets.map((d) => d.id),
    storedAt: now,
    freshUntil: now + freshMs,
    expiresAt: now + freshMs + staleMs,
  }
  const serialized = serializeEntry(entry)
  if (serialized.length > input.maxEntryBytes) return 'oversized'
  return { entry, serialized, lifetimeMs: freshMs + staleMs }
}
