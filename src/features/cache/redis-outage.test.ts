import type { ChildProcess } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, describe, expect, it } from 'vitest'
import {
  connectClients,
  freePort,
  loaded,
  makeKey,
  makeResult,
  silentLogger,
  startRedisServer,
  stopProcess,
  uniquePrefix,
} from './cache-test-support.ts'
import { createCache } from './create-cache.ts'
import type { QueryCache } from './query-cache.ts'

const L2_TIMEOUT_MS = 50
const LOAD_MS = 5

describe('Redis outage', () => {
  let server: ChildProcess | null = null
  const cleanups: (() => Promise<void> | void)[] = []

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup()
    await stopProcess(server)
  })

  it('answers every request while Redis is killed and restarted, and recovers on its own', async () => {
    const port = await freePort()
    server = await startRedisServer(port)
    const url = `redis://127.0.0.1:${port}`
    const prefix = uniquePrefix('outage')
    const limits = { l2TimeoutMs: L2_TIMEOUT_MS, breakerResetMs: 200, lockPollMs: 5 }
    const [a, b] = ['a', 'b'].map((instanceId) => {
      const clients = connectClients(url)
      const cache = createCache({ ...clients, logger: silentLogger, prefix, instanceId, limits })
      cleanups.push(() => clients.close(), () => cache.stop())
      return cache
    }) as [QueryCache, QueryCache]
    await sleep(100)
    const heardByB: (string | null)[] = []
    b.onInvalidation((datasetId) => heardByB.push(datasetId))

    let failures = 0
    let slowest = 0
    let served = 0
    let running = true
    const load = (label: string) => async () => {
      await sleep(LOAD_MS)
      return loaded(makeResult([[label]]))
    }
    const traffic = async (cache: QueryCache, worker: number) => {
      for (let i = 0; running; i += 1) {
        // Two in three repeat a small set (L1/L2 hits), one in three is new (a miss that needs Redis and the load).
        const label = i % 3 === 0 ? `new-${worker}-${i}` : `q${(i + worker) % 40}`
        const started = performance.now()
        try {
          const answer = await cache.getOrLoad(makeKey({ constants: [label] }), load(label))
          if (answer.result.rows[0]![0] !== label) failures += 1
          served += 1
        } catch {
          failures += 1
        }
        slowest = Math.max(slowest, performance.now() - started)
        // L1 hits resolve without I/O; yield so timers (and the test's own schedule) still run.
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
    const workers = [a, b, a, b].map((cache, worker) => traffic(cache, worker))

    await sleep(400)
    const beforeKill = served
    await stopProcess(server)
    await sleep(800)
    const duringOutage = served - beforeKill
    const errorsDuringOutage = a.stats().l2.errors
    server = await startRedisServer(port)
    await sleep(1_500)
    running = false
    await Promise.all(workers)

    expect(failures).toBe(0)
    expect(duringOutage).toBeGreaterThan(50)
    // The worst request: a few Redis calls that each gave up after the timeout, plus its own load (and slack for
    // a busy CI machine) — far below a reconnect or the 5 s fill lock it would otherwise have waited for.
    expect(slowest).toBeLessThan(4 * L2_TIMEOUT_MS + LOAD_MS + 300)
    expect(a.stats().l2.breaker).toBe('closed')
    expect(errorsDuringOutage).toBeGreaterThan(0)

    // Recovered: a fill on one instance is an L2 hit on the other, and invalidations travel again.
    const fresh = makeKey({ constants: ['after restart'] })
    await a.getOrLoad(fresh, load('after restart'))
    await a.writesSettled()
    expect((await b.getOrLoad(fresh, load('after restart'))).level).toBe('L2')
    expect((await a.invalidateDataset('ds1')).propagated).toBe(true)
    for (let i = 0; i < 200 && b.stats().entries > 0; i += 1) await sleep(25)
    expect(b.stats().entries).toBe(0)
    // The reconnect told b's listeners to drop everything (messages may have been lost), then the invalidation.
    expect(heardByB).toContain(null)
    expect(heardByB.at(-1)).toBe('ds1')
  })

  it('starts while Redis is down and joins in once it comes up', async () => {
    const port = await freePort()
    const url = `redis://127.0.0.1:${port}`
    const prefix = uniquePrefix('late-redis')
    const [a, b] = ['a', 'b'].map((instanceId) => {
      const clients = connectClients(url)
      const cache = createCache({ ...clients, logger: silentLogger, prefix, instanceId, limits: { l2TimeoutMs: L2_TIMEOUT_MS } })
      cleanups.push(() => clients.close(), () => cache.stop())
      return cache
    }) as [QueryCache, QueryCache]
    const load = async () => loaded(makeResult([['db']]))
    const started = performance.now()
    expect((await a.getOrLoad(makeKey(), load)).level).toBeNull()
    expect((await a.getOrLoad(makeKey(), load)).level).toBe('L1')
    expect(performance.now() - started).toBeLessThan(2 * L2_TIMEOUT_MS + 100)

    const late = await startRedisServer(port)
    cleanups.push(() => stopProcess(late))
    // Once the clients connect, a fill on a is an L2 hit on b (a fresh key each try: a's own L1 would answer).
    let peerLevel: string | null = null
    for (let i = 0; i < 200 && peerLevel !== 'L2'; i += 1) {
      await sleep(25)
      const fresh = makeKey({ constants: [`shared-${i}`] })
      await a.getOrLoad(fresh, load)
      await a.writesSettled()
      peerLevel = (await b.getOrLoad(fresh, load)).level
    }
    expect(peerLevel).toBe('L2')
    await b.getOrLoad(makeKey(), load)
    for (let i = 0; i < 200 && !(await a.invalidateDataset('ds1')).propagated; i += 1) await sleep(25)
    for (let i = 0; i < 200 && b.stats().entries > 0; i += 1) await sleep(25)
    expect(b.stats().entries).toBe(0)
  })
})
