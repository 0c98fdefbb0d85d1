import { LRUCache } from 'lru-cache'
import type { CacheEntry } from './cache-entry.ts'

/** In-process level: an LRU bounded by the entries' serialized bytes, indexed by dataset for invalidation. */
export interface L1Store {
  get(id: string): CacheEntry | undefined
  /** `bytes` is the entry's serialized size; entries larger than the whole budget are refused. */
  set(id: string, entry: CacheEntry, bytes: number): void
  delete(id: string): void
  /** Drops every entry that read the dataset; returns how many. */
  dropDataset(datasetId: string): number
  clear(): void
  entries(): number
  bytes(): number
  maxBytes: number
}

export function createL1Store(deps: { maxBytes: number; onEvict: () => void }): L1Store {
  const { maxBytes, onEvict } = deps
  if (maxBytes <= 0) return disabledL1Store()
  const byDataset = new Map<string, Set<string>>()

  const unindex = (id: string, entry: CacheEntry) => {
    for (const datasetId of entry.datasetIds) {
      const ids = byDataset.get(datasetId)
      ids?.delete(id)
      if (ids?.size === 0) byDataset.delete(datasetId)
    }
  }
  const lru = new LRUCache<string, CacheEntry>({
    maxSize: maxBytes,
    dispose: (entry, id, reason) => {
      unindex(id, entry)
      if (reason === 'evict') onEvict()
    },
  })

  return {
    maxBytes,
    get: (id) => lru.get(id),
    set(id, entry, bytes) {
      if (bytes > maxBytes) return
      lru.set(id, entry, { size: Math.max(1, bytes) })
      for (const datasetId of entry.datasetIds) {
        const ids = byDataset.get(datasetId) ?? new Set<string>()
        ids.add(id)
        byDataset.set(datasetId, ids)
      }
    },
    delete: (id) => void lru.delete(id),
    dropDataset(datasetId) {
      const ids = [...(byDataset.get(datasetId) ?? [])]
      for (const id of ids) lru.delete(id)
      return ids.length
    },
    clear: () => lru.clear(),
    entries: () => lru.size,
    bytes: () => lru.calculatedSize,
  }
}

/** `l1Bytes: 0` turns the in-process level off (every lookup goes to L2 or the database). */
function disabledL1Store(): L1Store {
  return {
    maxBytes: 0,
    get: () => undefined,
    set: () => undefined,
    delete: () => undefined,
    dropDataset: () => 0,
    clear: () => undefined,
    entries: () => 0,
    bytes: () => 0,
  }
}
