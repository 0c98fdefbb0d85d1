import type { ChildProcess } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, describe, expect, it } from 'vitest'
import { connectClients, freePort, loaded, makeKey, makeResult, silentLogger, startRedisServer, stopProcess, uniquePrefix } from './cache-test-support.ts'
import { createCache } from './create-cache.ts'
import type { QueryCache } from './query-cache.ts'

describe('invalidation generations when Redis restarts empty', () => {
  let server: ChildProcess | null = null
  const cleanups: (() => Promise<void> | void)[] = []
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup()
    await stopProcess(server)
  })

  const until = async (check: () => boolean | Promise<boolean>) => {
    for (let i = 0; i < 200 && !(await check()); i += 1) await sleep(25)
    expect(await check()).toBe(true)
  }

  it('an invalidation still makes entries filled after the restart unreachable on every instance', async () => {
    const port = await freePort()
    server = await startRedisServer(port)
    const prefix = uniquePrefix('gen-restart')
    const [a, b] = ['a', 'b'].map((instanceId) => {
      const clients = connectClients(`redis://127.0.0.1:${port}`)
      const cache = createCache({ ...clients, logger: silentLogger, prefix, instanceId, limits: { breakerResetMs: 100 } })
      cleanups.push(() => clients.close(), () => cache.stop())
      return cache
    }) as [QueryCache, QueryCache]
    await sleep(100)
    let lastGeneration = 0
    for (let i = 0; i < 3; i += 1) lastGeneration = (await a.invalidateDataset('ds1')).generation
    expect(lastGeneration).toBe(3)

    await stopProcess(server)
    server = await startRedisServer(port)
    // Fill on a once both are connected again; b reads it from L2 under the generation both still use.
    const key = makeKey({ constants: ['after restart'] })
    let calls = 0
    const load = async () => loaded(makeResult([[`load ${(calls += 1)}`]]))
    let probe = 0
    await until(async () => {
      const fresh = makeKey({ constants: [`probe-${(probe += 1)}`] })
      await a.getOrLoad(fresh, load)
      await a.writesSettled()
      return (await b.getOrLoad(fresh, load)).level === 'L2'
    })
    await a.getOrLoad(key, load)
    await a.writesSettled()
    expect((await b.getOrLoad(key, load)).level).toBe('L2')

    const outcome = await a.invalidateDataset('ds1')
    expect(outcome.propagated).toBe(true)
    expect(outcome.generation).toBeGreaterThan(lastGeneration)
    await until(() => b.stats().entries === 0)
    const before = calls
    expect((await b.getOrLoad(key, load)).level).toBeNull()
    expect(calls).toBe(before + 1)
  })
})
