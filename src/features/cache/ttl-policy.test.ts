import { describe, expect, it } from 'vitest'
import { createTtlPolicy } from './ttl-policy.ts'

const HOUR = 3_600_000
const limits = { ttlMinMs: 30_000, ttlMaxMs: HOUR, volatilityWindowMs: 24 * HOUR, ttlJitter: 0.2 }

function setup(random = () => 0) {
  const clock = { t: 1_000_000, now: () => clock.t }
  return { clock, policy: createTtlPolicy({ limits, clock, random }) }
}

describe('ttl policy', () => {
  it('gives the maximum to datasets that have not changed recently', () => {
    const { policy } = setup()
    expect(policy.ttlFor(['quiet'])).toBe(HOUR)
    expect(policy.ttlFor([])).toBe(HOUR)
  })

  it('shortens the lifetime as changes become more frequent, never below the minimum', () => {
    const { policy, clock } = setup()
    for (let i = 0; i < 96; i += 1) {
      policy.recordChange('hot')
      clock.t += 15 * 60_000
    }
    // 96 changes in 24 h: a change every 15 min, so entries live half of that.
    expect(policy.recentChanges('hot')).toBe(96)
    expect(policy.ttlFor(['hot'])).toBe(7.5 * 60_000)
    for (let i = 0; i < 4_000; i += 1) policy.recordChange('hot')
    expect(policy.ttlFor(['hot'])).toBe(limits.ttlMinMs)
  })

  it('uses the most volatile dataset a statement reads', () => {
    const { policy } = setup()
    for (let i = 0; i < 48; i += 1) policy.recordChange('hot')
    expect(policy.ttlFor(['quiet', 'hot'])).toBe(policy.ttlFor(['hot']))
  })

  it('forgets changes older than the window', () => {
    const { policy, clock } = setup()
    for (let i = 0; i < 48; i += 1) policy.recordChange('once-hot')
    clock.t += 25 * HOUR
    expect(policy.recentChanges('once-hot')).toBe(0)
    expect(policy.ttlFor(['once-hot'])).toBe(HOUR)
  })

  it('spreads lifetimes downwards by the jitter fraction', () => {
    const samples = [0, 0.5, 0.999].map((r) => setup(() => r).policy.ttlFor(['quiet']))
    expect(samples[0]).toBe(HOUR)
    expect(samples[1]).toBe(HOUR * 0.9)
    expect(samples[2]).toBeGreaterThanOrEqual(HOUR * 0.8)
    expect(new Set(samples).size).toBe(3)
  })
})
