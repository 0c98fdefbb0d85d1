import { describe, expect, it } from 'vitest'
import type { CacheEntry } from './cache-entry.ts'
import { makeResult } from './cache-test-support.ts'
import { decodeFromL2, encodeForL2, serializeEntry } from './entry-codec.ts'

const entryWith = (rows: unknown[][]): CacheEntry => ({
  result: makeResult(rows),
  fingerprint: 'fp',
  datasetIds: ['a'],
  storedAt: 1,
  freshUntil: 2,
  expiresAt: 3,
})

describe('entry codec', () => {
  it('round-trips values JSON would change', async () => {
    const entry = entryWith([[123n, new Date('2024-02-29T12:00:00Z'), Buffer.from('hi'), null, '1.50']])
    const serialized = serializeEntry(entry)
    const decoded = await decodeFromL2(await encodeForL2(serialized, 1 << 20))
    expect(decoded?.entry).toEqual(entry)
    expect(decoded?.bytes).toBe(serialized.length)
  })

  it('compresses large values and reads them back', async () => {
    const entry = entryWith(Array.from({ length: 2_000 }, (_, i) => [`north`, i, `${i}.00`]))
    const serialized = serializeEntry(entry)
    const encoded = await encodeForL2(serialized, 16 * 1024)
    expect(encoded.length).toBeLessThan(serialized.length / 3)
    expect((await decodeFromL2(encoded))?.entry).toEqual(entry)
  })

  it('treats unknown or corrupt values as a miss', async () => {
    expect(await decodeFromL2(Buffer.from('{"not":"ours"}'))).toBeNull()
    expect(await decodeFromL2(Buffer.of(2, 1, 2, 3))).toBeNull()
    expect(await decodeFromL2(Buffer.of(1, 255, 0))).toBeNull()
  })
})
