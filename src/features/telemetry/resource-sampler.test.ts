import { describe, expect, it } from 'vitest'
import { createResourceSampler } from './resource-sampler.ts'
import type { TelemetrySources } from './telemetry-types.ts'

const sampler = (sources: TelemetrySources, redisTimeoutMs = 1000, onGc?: (bytes: number) => void) =>
  createResourceSampler({ sources, clock: { now: () => 42 }, inFlight: () => 3, subscriptions: () => 7, redisTimeoutMs, onGc })

/** Keeps the thread busy for `ms`: some CPU and event-loop delay to observe. */
const busy = (ms: number) => {
  const until = performance.now() + ms
  while (performance.now() < until) Math.sqrt(Math.random())
}

describe('resource sampler', () => {
  it('reports process figures and the probes it was given', async () => {
    const s = sampler({
      pgPool: () => ({ total: 5, idle: 2, waiting: 1 }),
      redis: () => Promise.resolve({ status: 'ready', rttMs: 0.4 }),
      queueDepths: () => ({ ingest: 2 }),
      cacheStats: () => ({ l1Entries: 10 }),
    })
    s.start()
    busy(50)
    const r = await s.sample()
    s.stop()
    expect(r.at).toBe(42)
    expect(r.cpuPercent).toBeGreaterThan(0)
    expect(r.rssBytes).toBeGreaterThan(r.heapUsedBytes)
    expect(r.heapLimitBytes).toBeGreaterThan(r.heapUsedBytes)
    expect(r.eventLoopDelayMaxMs).toBeGreaterThanOrEqual(r.eventLoopDelayP50Ms)
    expect(r).toMatchObject({
      pgPool: { total: 5, idle: 2, waiting: 1 }, redis: { status: 'ready', rttMs: 0.4 }, queueDepths: { ingest: 2 },
      cache: { l1Entries: 10 }, inFlightOperations: 3, openSubscriptions: 7,
    })
  })

  it('prefers the integrator probe for open subscriptions and reports nulls for absent resources', async () => {
    const s = sampler({ openSubscriptions: () => 99, pgPool: () => null })
    const r = await s.sample()
    s.stop()
    expect(r).toMatchObject({ openSubscriptions: 99, pgPool: null, redis: null, queueDepths: {}, cache: {} })
  })

  it('turns a hanging or failing Redis probe into a status instead of an error', async () => {
    const hanging = sampler({ redis: () => new Promise(() => {}) }, 50)
    expect((await hanging.sample()).redis).toEqual({ status: 'timeout', rttMs: null })
    hanging.stop()
    const failing = sampler({ redis: () => Promise.reject(new Error('ECONNREFUSED')) })
    expect((await failing.sample()).redis).toEqual({ status: 'error: ECONNREFUSED', rttMs: null })
    failing.stop()
  })

  it('observes the event loop and GC only once started', async () => {
    const seen: number[] = []
    const s = sampler({}, 1000, (bytes) => seen.push(bytes))
    const settle = () => new Promise((resolve) => setTimeout(resolve, 50))
    // Far more short-lived garbage than the young generation holds: several scavenges, whatever its size.
    const churn = () => {
      let held: number[][] = []
      for (let i = 0; i < 2_000_000; i++) {
        held.push([i, i + 1, i + 2])
        if (held.length === 1_000) held = []
      }
    }
    busy(30)
    churn()
    await settle()
    const idle = await s.sample()
    expect({ gcCount: idle.gcCount, loopMax: idle.eventLoopDelayMaxMs, seen: seen.length }).toEqual({ gcCount: 0, loopMax: 0, seen: 0 })
    s.start()
    await settle()
    busy(30)
    churn()
    await settle()
    const started = await s.sample()
    s.stop()
    expect(started.gcCount).toBeGreaterThan(0)
    expect(started.eventLoopDelayMaxMs).toBeGreaterThan(0)
    expect(seen.length).toBeGreaterThan(0)
  })
})
