import { describe, expect, it } from 'vitest'
import type { CacheEntry } from './cache-entry.ts'
import { makeResult } from './cache-test-support.ts'
import { serializeEntry } from './entry-codec.ts'
import { createL1Store } from './l1-store.ts'

function entry(datasetIds: string[], rows: number): CacheEntry {
  const result = makeResult(Array.from({ length: rows }, (_, i) => [`row ${i} `.repeat(8)]))
  return { result, fingerprint: 'fp', datasetIds, storedAt: 0, freshUntil: 1, expiresAt: 1 }
}

describe('L1 store', () => {
  it('never holds more bytes than its budget and counts evictions', () => {
    let evictions = 0
    const store = createL1Store({ maxBytes: 50_000, onEvict: () => (evictions += 1) })
    let offered = 0
    for (let i = 0; i < 200; i += 1) {
      const e = entry([`ds${i % 3}`], 1 + (i % 40))
      const bytes = serializeEntry(e).length
      offered += bytes
      store.set(`k${i}`, e, bytes)
      expect(store.bytes()).toBeLessThanOrEqual(50_000)
    }
    expect(offered).toBeGreaterThan(200_000)
    expect(evictions).toBeGreaterThan(0)
    expect(store.entries()).toBeLessThan(200)
    expect(store.get('k199')).toBeDefined()
  })

  it('refuses an entry larger than the whole budget', () => {
    const store = createL1Store({ maxBytes: 1_000, onEvict: () => undefined })
    store.set('big', entry(['a'], 100), 5_000)
    expect(store.get('big')).toBeUndefined()
    expect(store.bytes()).toBe(0)
  })

  it('drops exactly the entries that read a dataset', () => {
    const store = createL1Store({ maxBytes: 1_000_000, onEvict: () => undefined })
    store.set('a', entry(['x'], 1), 100)
    store.set('ab', entry(['x', 'y'], 1), 100)
    store.set('b', entry(['y'], 1), 100)
    expect(store.dropDataset('x')).toBe(2)
    expect(store.get('a')).toBeUndefined()
    expect(store.get('ab')).toBeUndefined()
    expect(store.get('b')).toBeDefined()
    expect(store.dropDataset('x')).toBe(0)
    expect(store.bytes()).toBe(100)
  })

  it('keeps the dataset index right when a key is overwritten', () => {
    const store = createL1Store({ maxBytes: 1_000_000, onEvict: () => undefined })
    store.set('k', entry(['x'], 1), 100)
    store.set('k', entry(['y'], 1), 100)
    expect(store.dropDataset('x')).toBe(0)
    expect(store.dropDataset('y')).toBe(1)
  })

  it('stores nothing when L1 is turned off', () => {
    const store = createL1Store({ maxBytes: 0, onEvict: () => undefined })
    store.set('k', entry(['x'], 1), 100)
    expect(store.get('k')).toBeUndefined()
    expect(store.entries()).toBe(0)
  })
})
