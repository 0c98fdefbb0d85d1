import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { connectClients, sharedRedisUrl, silentLogger, uniquePrefix } from './cache-test-support.ts'
import { createChangeMarker } from './change-marker.ts'

const url = await sharedRedisUrl()
const LEASE_MS = 40

describe.skipIf(url === null)('change marker over a shared Redis', () => {
  const opened: { close(): void }[] = []
  const keys: string[] = []
  afterAll(async () => {
    const admin = new Redis(url!)
    if (keys.length > 0) await admin.del(keys)
    admin.disconnect()
    for (const clients of opened) clients.close()
  })

  /** Markers of several instances on one key, each with its own client and a count of its GETs. */
  async function instances(count: number) {
    const key = `${uniquePrefix('marker')}:catalog:marker`
    keys.push(key)
    return Promise.all(
      Array.from({ length: count }, async () => {
        const clients = connectClients(url!)
        opened.push(clients)
        if (clients.redis.status !== 'ready') await once(clients.redis, 'ready')
        let gets = 0
        const counted = {
          get status() {
            return clients.redis.status
          },
          get: (k: string) => ((gets += 1), clients.redis.get(k)),
          set: clients.redis.set.bind(clients.redis),
        } as Parameters<typeof createChangeMarker>[0]['redis']
        return { marker: createChangeMarker({ redis: counted, key, logger: silentLogger, leaseMs: LEASE_MS }), gets: () => gets, redis: clients.redis }
      }),
    )
  }

  it('instances agree on one marker, and a bump is seen everywhere once it resolves', async () => {
    const [a, b] = await instances(2)
    const first = await a!.marker.read()
    expect(first).toEqual(expect.any(String))
    expect(await b!.marker.read()).toBe(first)
    for (let round = 0; round < 5; round += 1) {
      const before = await b!.marker.read()
      await a!.marker.bump()
      // B read within its lease just before the bump: the bump's wait is what makes B read again.
      const after = await b!.marker.read()
      expect(after).not.toBe(before)
      expect(await a!.marker.read()).toBe(after)
    }
  })

  it('serves reads inside the lease from memory, refreshing ahead of expiry', async () => {
    const [a] = await instances(1)
    await a!.marker.read()
    const started = performance.now()
    let reads = 0
    while (performance.now() - started < LEASE_MS * 5) {
      expect(await a!.marker.read()).toEqual(expect.any(String))
      reads += 1
      await sleep(1)
    }
    expect(reads).toBeGreaterThan(50)
    // About one GET per half lease, not one per read.
    expect(a!.gets()).toBeLessThanOrEqual(1 + 2 * 5 + 2)
  })

  it('never brings back an old marker when Redis loses the key', async () => {
    const [a, b] = await instances(2)
    const seen = new Set([await a!.marker.read()])
    await a!.redis.del(keys.at(-1)!)
    await sleep(LEASE_MS + 5)
    const fresh = await b!.marker.read()
    expect(seen.has(fresh)).toBe(false)
    await sleep(LEASE_MS + 5)
    expect(await a!.marker.read()).toBe(fresh)
  })

  it('answers null while its client is not connected, so the caller reads the source', async () => {
    const [a] = await instances(1)
    await a!.marker.read()
    const ended = once(a!.redis, 'end')
    a!.redis.disconnect()
    await ended
    expect(await a!.marker.read()).toBeNull()
  })
})
