import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import type { Viewer } from '../auth/viewer.ts'
import { loaded, makeKey, makeResult, silentLogger } from './cache-test-support.ts'
import { createCache } from './create-cache.ts'
import { createCacheWarmer, type WarmStatement } from './create-cache-warmer.ts'

const viewer: Viewer = { id: 'owner-1', name: 'Owner', role: 'ANALYST', anonymous: false }
const statements = (n: number): WarmStatement[] =>
  Array.from({ length: n }, (_, i) => ({ sql: `SELECT ${i}`, params: [], viewer }))

describe('cache warmer', () => {
  it('re-runs the top statements through the cache so the next ask is a hit', async () => {
    const cache = createCache({ redis: null, subscriber: null, logger: silentLogger, prefix: 'p', instanceId: 'w' })
    const keyOf = (s: WarmStatement) => makeKey({ constants: [s.sql], scope: s.viewer.id })
    const run = (s: WarmStatement) => cache.getOrLoad(keyOf(s), async () => loaded(makeResult([[s.sql]])))
    const asked: [string, number][] = []
    const warmer = createCacheWarmer({
      cache,
      run,
      topStatements: async (datasetId, n) => (asked.push([datasetId, n]), statements(3)),
      logger: silentLogger,
      limits: { maxStatements: 5 },
    })
    expect(await warmer.warm('ds1')).toBe(3)
    expect(asked).toEqual([['ds1', 5]])
    const after = await cache.getOrLoad(keyOf(statements(1)[0]!), async () => loaded(makeResult([])))
    expect(after.level).toBe('L1')
    await warmer.stop()
    await cache.stop()
  })

  it('stops at the count bound and the time budget, and skips failing statements', async () => {
    const ran: string[] = []
    const cache = createCache({ redis: null, subscriber: null, logger: silentLogger, prefix: 'p', instanceId: 'w' })
    const warmer = createCacheWarmer({
      cache,
      run: async (s, signal) => {
        ran.push(s.sql)
        if (s.sql === 'SELECT 1') throw new Error('gone')
        await sleep(40, undefined, { signal })
      },
      topStatements: async () => statements(50),
      logger: silentLogger,
      limits: { maxStatements: 10, budgetMs: 150 },
    })
    const started = performance.now()
    const warmed = await warmer.warm('ds1')
    expect(performance.now() - started).toBeLessThan(400)
    expect(ran.length).toBeLessThan(10)
    expect(warmed).toBe(ran.length - 2) // SELECT 1 failed; the last one was aborted by the budget
    await warmer.stop()
    await cache.stop()
  })

  it('does nothing without a cache', async () => {
    let calls = 0
    const warmer = createCacheWarmer({
      run: async () => (calls += 1),
      topStatements: async () => statements(3),
      logger: silentLogger,
    })
    expect(await warmer.warm('ds1')).toBe(0)
    expect(calls).toBe(0)
  })

  it('runs scheduled warm-ups in the background, one more round when asked during one', async () => {
    const cache = createCache({ redis: null, subscriber: null, logger: silentLogger, prefix: 'p', instanceId: 'w' })
    let rounds = 0
    let finished = 0
    const warmer = createCacheWarmer({
      cache,
      run: async () => {
        await sleep(20)
        finished += 1
      },
      topStatements: async () => (rounds += 1, statements(2)),
      logger: silentLogger,
    })
    warmer.schedule('ds1')
    warmer.schedule('ds1')
    warmer.schedule('ds1')
    expect(finished).toBe(0)
    await sleep(200)
    expect(rounds).toBe(2)
    expect(finished).toBe(4)
    await warmer.stop()
    await cache.stop()
  })
})
