import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CacheLimits } from './cache-limits.ts'
import { connectClients, loaded, makeKey, makeResult, sharedRedisUrl, silentLogger, uniquePrefix } from './cache-test-support.ts'
import { createCache } from './create-cache.ts'
import type { QueryCache } from './query-cache.ts'

const url = await sharedRedisUrl()

describe.skipIf(url === null)('createCache with a shared Redis', () => {
  const opened: { close(): void }[] = []
  const caches: QueryCache[] = []
  let admin: Redis

  beforeAll(async () => {
    admin = new Redis(url!)
    await admin.ping()
  })
  const prefixes: string[] = []
  afterAll(async () => {
    await Promise.all(caches.map((c) => c.stop()))
    for (const clients of opened) clients.close()
    for (const prefix of prefixes) {
      const keys = await admin.keys(`${prefix}:*`)
      if (keys.length > 0) await admin.del(keys)
    }
    admin.disconnect()
  })

  /** Two instances of one deployment: same prefix, separate processes' worth of state. */
  async function instances(count: number, limits: Partial<CacheLimits> = {}) {
    const prefix = uniquePrefix('shared')
    prefixes.push(prefix)
    const made = Array.from({ length: count }, (_, i) => {
      const clients = connectClients(url!)
      opened.push(clients)
      const cache = createCache({ ...clients, logger: silentLogger, prefix, instanceId: `i${i}`, limits })
      caches.push(cache)
      return cache
    })
    // Invalidations only reach instances whose SUBSCRIBE has landed.
    for (let i = 0; i < 200; i += 1) {
      const [, subscribers] = (await admin.pubsub('NUMSUB', `${prefix}:cache:invalidate`)) as [string, number]
      if (subscribers === count) break
      await sleep(25)
    }
    return { prefix, caches: made }
  }
  /** Pub/sub delivery is asynchronous: wait for its effect, with a deadline, instead of a fixed sleep. */
  async function eventually(check: () => boolean) {
    for (let i = 0; i < 200 && !check(); i += 1) await sleep(25)
    expect(check()).toBe(true)
  }

  it('serves a peer fill as an L2 hit and then from L1', async () => {
    const { caches: [a, b] } = await instances(2)
    let executions = 0
    const load = async () => (executions += 1, loaded(makeResult([['shared', 7n]])))
    expect((await a!.getOrLoad(makeKey(), load)).level).toBeNull()
    await a!.writesSettled()
    const fromRedis = await b!.getOrLoad(makeKey(), load)
    expect(fromRedis.level).toBe('L2')
    expect(fromRedis.result).toMatchObject({ cached: true, cacheLevel: 'L2', rows: [['shared', 7n]] })
    expect((await b!.getOrLoad(makeKey(), load)).level).toBe('L1')
    expect(executions).toBe(1)
    expect(b!.stats().hits).toEqual({ L1: 1, L2: 1 })
  })

  it('never serves a stale row across instances when a new version is uploaded', async () => {
    const { caches: [a, b] } = await instances(2)
    const table = { version: 1, value: 'v1' }
    const ask = (cache: QueryCache) =>
      cache.getOrLoad(makeKey({ datasets: [{ id: 'sales', version: table.version }] }), async () =>
        loaded(makeResult([[table.value]])),
      )
    const seen: string[] = []
    const record = async (cache: QueryCache) => seen.push(`${table.version}:${(await ask(cache)).result.rows[0]![0]}`)
    for (let round = 0; round < 5; round += 1) {
      await record(a!)
      await a!.writesSettled()
      await record(b!)
      await record(a!)
      // Ingest on instance a publishes a new version.
      table.version += 1
      table.value = `v${table.version}`
      await a!.datasetChanged('sales')
      await record(b!)
      await record(a!)
    }
    for (const answer of seen) {
      const [version, value] = answer.split(':')
      expect(value).toBe(`v${version}`)
    }
  })

  it('propagates an admin invalidation to the other instance', async () => {
    const { prefix, caches: [a, b] } = await instances(2)
    const heard: (string | null)[] = []
    b!.onInvalidation((datasetId) => heard.push(datasetId))
    let value = 'before'
    const load = async () => loaded(makeResult([[value]]))
    await a!.getOrLoad(makeKey(), load)
    await a!.writesSettled()
    expect((await b!.getOrLoad(makeKey(), load)).level).toBe('L2')
    expect((await b!.getOrLoad(makeKey(), load)).level).toBe('L1')
    value = 'after'
    const outcome = await a!.invalidateDataset('ds1')
    expect(outcome.propagated).toBe(true)
    expect(await admin.pttl(`${prefix}:cache:gen:ds1`)).toBeGreaterThan(0)
    await eventually(() => b!.stats().entries === 0)
    expect(heard).toEqual(['ds1'])
    const answers = await Promise.all([a!.getOrLoad(makeKey(), load), b!.getOrLoad(makeKey(), load)])
    expect(answers.map((x) => x.result.rows)).toEqual([[['after']], [['after']]])
  })

  it('lets a fresh instance pick up generations bumped before it started', async () => {
    const { prefix, caches: [a] } = await instances(1)
    let value = 'old'
    const load = async () => loaded(makeResult([[value]]))
    await a!.getOrLoad(makeKey(), load)
    await a!.writesSettled()
    value = 'new'
    await a!.invalidateDataset('ds1')
    const clients = connectClients(url!)
    opened.push(clients)
    const late = createCache({ ...clients, logger: silentLogger, prefix, instanceId: 'late' })
    caches.push(late)
    expect((await late.getOrLoad(makeKey(), load)).result.rows).toEqual([['new']])
  })

  it('runs concurrent misses on two instances once across both', async () => {
    const { caches: [a, b] } = await instances(2, { lockPollMs: 5 })
    let executions = 0
    const load = async () => {
      executions += 1
      await sleep(150)
      return loaded(makeResult([['once']]))
    }
    const asks = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? a! : b!).getOrLoad(makeKey(), load))
    const answers = await Promise.all(asks)
    expect(executions).toBe(1)
    expect(answers.every((x) => x.result.rows[0]![0] === 'once')).toBe(true)
  })

  it('stores large values compressed, under its prefix, with a TTL', async () => {
    const { prefix, caches: [a, b] } = await instances(2, { compressAboveBytes: 1_024, ttlMaxMs: 120_000 })
    const rows = Array.from({ length: 5_000 }, (_, i) => ['north', i, `${i}.00`])
    await a!.getOrLoad(makeKey(), async () => loaded(makeResult(rows)))
    await a!.writesSettled()
    const keys = await admin.keys(`${prefix}:cache:v:*`)
    expect(keys).toHaveLength(1)
    const stored = await admin.getBuffer(keys[0]!)
    expect(stored![0]).toBe(2)
    expect(stored!.length).toBeLessThan(a!.stats().bytes / 3)
    const ttl = await admin.pttl(keys[0]!)
    expect(ttl).toBeGreaterThan(100_000)
    expect(ttl).toBeLessThanOrEqual(120_000)
    expect((await b!.getOrLoad(makeKey(), async () => loaded(makeResult([])))).result.rows).toEqual(rows)
    await admin.del(keys)
  })

  it('clear("L1") keeps L2 while clear() empties every level everywhere', async () => {
    const { caches: [a, b] } = await instances(2)
    let value = 'first'
    const load = async () => loaded(makeResult([[value]]))
    await a!.getOrLoad(makeKey(), load)
    await a!.writesSettled()
    await a!.clear('L1')
    expect((await a!.getOrLoad(makeKey(), load)).level).toBe('L2')
    await b!.getOrLoad(makeKey(), load)
    value = 'second'
    await a!.clear()
    await eventually(() => b!.stats().entries === 0)
    expect((await b!.getOrLoad(makeKey(), load)).result.rows).toEqual([['second']])
  })
})
