import { describe, expect, it } from 'vitest'
import { createLabelLimiter } from './label-limiter.ts'
import { createSnapshotFeed } from './snapshot-feed.ts'
import type { PerformanceSnapshot } from './telemetry-types.ts'

describe('snapshot feed', () => {
  it('shares one producer per interval among subscribers and stops when they leave', async () => {
    let produced = 0
    const feed = createSnapshotFeed(async () => ({ instanceId: String(++produced) }) as PerformanceSnapshot, () => {})
    const a = feed.subscribe(100)
    const b = feed.subscribe(100)
    const [first, second] = await Promise.all([a.next(), b.next()])
    expect(first.value!.instanceId).toBe(second.value!.instanceId)
    expect(feed.subscribers()).toBe(2)
    const started = performance.now()
    await a.next()
    expect(performance.now() - started).toBeGreaterThanOrEqual(50)
    await a.return?.()
    await b.return?.()
    expect(feed.subscribers()).toBe(0)
    feed.stop()
  })

  it('spreads the subscribers of one interval over phases, each still at the interval', async () => {
    let produced = 0
    const feed = createSnapshotFeed(async () => ({ instanceId: String(++produced), takenAt: new Date() }) as PerformanceSnapshot, () => {})
    const subs = Array.from({ length: 6 }, () => feed.subscribe(300))
    const firsts = await Promise.all(subs.map((s) => s.next()))
    // 300 ms gives 3 phases: six subscribers share three snapshots, two each.
    const ids = firsts.map((r) => r.value!.instanceId)
    expect(new Set(ids).size).toBe(3)
    const seconds = await Promise.all(subs.map((s) => s.next()))
    for (let i = 0; i < subs.length; i++) {
      const gap = seconds[i]!.value!.takenAt.getTime() - firsts[i]!.value!.takenAt.getTime()
      expect(gap).toBeGreaterThanOrEqual(250)
      expect(gap).toBeLessThan(450)
    }
    await Promise.all(subs.map((s) => s.return?.()))
    expect(feed.subscribers()).toBe(0)
    feed.stop()
  })

  it('ends on abort and rejects intervals out of range', async () => {
    const feed = createSnapshotFeed(async () => ({}) as PerformanceSnapshot, () => {})
    const controller = new AbortController()
    const it = feed.subscribe(100, controller.signal)
    await it.next()
    controller.abort()
    expect((await it.next()).done).toBe(true)
    expect(() => feed.subscribe(5)).toThrow(/intervalMs/)
    feed.stop()
  })
})

describe('label limiter', () => {
  it('admits first-come, then re-ranks evicting values that left the top', () => {
    const limiter = createLabelLimiter(2)
    expect(['a', 'b', 'c'].map(limiter.label)).toEqual(['a', 'b', 'other'])
    expect(limiter.refresh(['c', 'a', 'b'])).toEqual(['b'])
    expect(limiter.admitted().sort()).toEqual(['a', 'c'])
    expect(limiter.label('b')).toBe('other')
    expect(limiter.refresh(['c', 'a'])).toEqual([])
  })
})
