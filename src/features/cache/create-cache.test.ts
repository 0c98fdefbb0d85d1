import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import type { CacheLimits } from './cache-limits.ts'
import { loaded, makeKey, makeResult, silentLogger } from './cache-test-support.ts'
import { createCache } from './create-cache.ts'

function localCache(limits: Partial<CacheLimits> = {}) {
  const clock = { t: 1_000_000, now: () => clock.t }
  const cache = createCache({
    redis: null,
    subscriber: null,
    logger: silentLogger,
    prefix: 'unused',
    instanceId: 'solo',
    clock,
    random: () => 0,
    limits: { ttlMinMs: 1_000, ttlMaxMs: 60_000, ...limits },
  })
  return { cache, clock }
}

describe('createCache without Redis', () => {
  it('answers a repeated question from L1 and marks it cached', async () => {
    const { cache } = localCache()
    let executions = 0
    const load = async () => (executions += 1, loaded(makeResult([['a']])))
    const first = await cache.getOrLoad(makeKey(), load)
    const second = await cache.getOrLoad(makeKey(), load)
    expect(first.level).toBeNull()
    expect(first.result.cached).toBe(false)
    expect(second.level).toBe('L1')
    expect(second.result).toMatchObject({ cached: true, cacheLevel: 'L1', rows: [['a']] })
    expect(executions).toBe(1)
    const stats = cache.stats()
    expect(stats).toMatchObject({ hits: { L1: 1, L2: 0 }, misses: 1, hitRatio: 0.5, entries: 1, timeSavedMs: 12 })
    expect(stats.l2.enabled).toBe(false)
    expect(cache.fingerprintStats()).toEqual([{ fingerprint: 'fp', hits: 1, misses: 1, hitRatio: 0.5, timeSavedMs: 12 }])
    await cache.stop()
  })

  it('runs 100 concurrent identical misses once', async () => {
    const { cache } = localCache()
    let executions = 0
    const load = async () => {
      executions += 1
      await sleep(30)
      return loaded(makeResult([['once']]))
    }
    const answers = await Promise.all(Array.from({ length: 100 }, () => cache.getOrLoad(makeKey(), load)))
    expect(executions).toBe(1)
    expect(answers.every((a) => a.result.rows[0]?.[0] === 'once')).toBe(true)
    expect(cache.stats()).toMatchObject({ loads: 1, coalesced: 99 })
    await cache.stop()
  })

  it('answers callers who joined an execution whose starter was cancelled', async () => {
    const { cache } = localCache()
    let executions = 0
    const cancelledLeader = async () => {
      executions += 1
      await sleep(20)
      throw new Error('cancelled because the request ended')
    }
    const follower = async () => {
      executions += 1
      await sleep(20)
      return loaded(makeResult([['answer']]))
    }
    const leader = cache.getOrLoad(makeKey(), cancelledLeader)
    leader.catch(() => undefined)
    await sleep(1) // the leader's execution is running before the others ask
    const followers = Array.from({ length: 10 }, () => cache.getOrLoad(makeKey(), follower))
    await expect(leader).rejects.toThrow('cancelled')
    const answers = await Promise.all(followers)
    expect(answers.map((a) => a.result.rows[0]![0])).toEqual(Array(10).fill('answer'))
    expect(executions).toBe(2)
    await cache.stop()
  })

  it('never serves an entry of an older dataset version', async () => {
    const { cache } = localCache()
    const table = { version: 1, rows: [['v1']] }
    const ask = () =>
      cache.getOrLoad(makeKey({ datasets: [{ id: 'ds1', version: table.version }] }), async () =>
        loaded(makeResult(table.rows)),
      )
    expect((await ask()).result.rows).toEqual([['v1']])
    expect((await ask()).level).toBe('L1')
    table.version = 2
    table.rows = [['v2']]
    await cache.datasetChanged('ds1')
    const after = await ask()
    expect(after.level).toBeNull()
    expect(after.result.rows).toEqual([['v2']])
    await cache.stop()
  })

  it('makes entries unreachable on invalidation even when the version stays', async () => {
    const { cache } = localCache()
    let value = 'before'
    const ask = () => cache.getOrLoad(makeKey(), async () => loaded(makeResult([[value]])))
    await ask()
    await ask()
    value = 'after'
    const outcome = await cache.invalidateDataset('ds1')
    expect(outcome).toEqual({ dropped: 1, generation: 1, propagated: false })
    expect((await ask()).result.rows).toEqual([['after']])
    await cache.clear()
    expect(cache.stats().entries).toBe(0)
    await cache.stop()
  })

  it('does not cache errors, uncacheable results or oversized results', async () => {
    const { cache } = localCache({ maxEntryBytes: 2_000 })
    let executions = 0
    const failing = async () => {
      executions += 1
      throw new Error('boom')
    }
    await expect(cache.getOrLoad(makeKey({ scope: 'e' }), failing)).rejects.toThrow('boom')
    await expect(cache.getOrLoad(makeKey({ scope: 'e' }), failing)).rejects.toThrow('boom')
    const timedOut = async () => (executions += 1, loaded(makeResult([['partial']]), false))
    await cache.getOrLoad(makeKey({ scope: 't' }), timedOut)
    await cache.getOrLoad(makeKey({ scope: 't' }), timedOut)
    const huge = async () => (executions += 1, loaded(makeResult(Array.from({ length: 500 }, (_, i) => [`row ${i}`]))))
    await cache.getOrLoad(makeKey({ scope: 'h' }), huge)
    await cache.getOrLoad(makeKey({ scope: 'h' }), huge)
    expect(executions).toBe(6)
    expect(cache.stats()).toMatchObject({ entries: 0, uncacheable: 2, oversized: 2 })
    await cache.stop()
  })

  it('expires entries after their TTL', async () => {
    const { cache, clock } = localCache({ ttlMaxMs: 5_000, ttlJitter: 0 })
    let executions = 0
    const load = async () => (executions += 1, loaded(makeResult([['x']])))
    await cache.getOrLoad(makeKey(), load)
    clock.t += 4_999
    expect((await cache.getOrLoad(makeKey(), load)).level).toBe('L1')
    clock.t += 1
    expect((await cache.getOrLoad(makeKey(), load)).level).toBeNull()
    expect(executions).toBe(2)
    await cache.stop()
  })

  it('serves a stale entry while one background load refreshes it', async () => {
    const { cache, clock } = localCache({ ttlMaxMs: 5_000, ttlJitter: 0, staleWhileRevalidateMs: 10_000 })
    let value = 'old'
    let executions = 0
    const load = async () => (executions += 1, loaded(makeResult([[value]])))
    await cache.getOrLoad(makeKey(), load)
    value = 'new'
    clock.t += 6_000
    const stale = await Promise.all([cache.getOrLoad(makeKey(), load), cache.getOrLoad(makeKey(), load)])
    expect(stale.map((s) => s.result.rows)).toEqual([[['old']], [['old']]])
    await sleep(10)
    expect(executions).toBe(2)
    expect((await cache.getOrLoad(makeKey(), load)).result.rows).toEqual([['new']])
    expect(cache.stats().staleHits).toBe(2)
    await cache.stop()
  })

  it('keeps callers with different scopes apart', async () => {
    const { cache } = localCache()
    const a = await cache.getOrLoad(makeKey({ scope: 'alice' }), async () => loaded(makeResult([['alice rows']])))
    const b = await cache.getOrLoad(makeKey({ scope: 'bob' }), async () => loaded(makeResult([['bob rows']])))
    expect(a.result.rows).not.toEqual(b.result.rows)
    expect(b.level).toBeNull()
    await cache.stop()
  })
})
