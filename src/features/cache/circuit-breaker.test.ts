import { describe, expect, it } from 'vitest'
import { createCircuitBreaker, type BreakerState } from './circuit-breaker.ts'

function setup() {
  const clock = { t: 0, now: () => clock.t }
  const changes: BreakerState[] = []
  const breaker = createCircuitBreaker({ failureThreshold: 3, resetMs: 1_000, clock, onChange: (s) => changes.push(s) })
  return { clock, breaker, changes }
}

describe('circuit breaker', () => {
  it('opens after consecutive failures and lets one probe through after the reset time', () => {
    const { clock, breaker, changes } = setup()
    breaker.failure()
    breaker.failure()
    breaker.success()
    breaker.failure()
    breaker.failure()
    expect(breaker.state()).toBe('closed')
    breaker.failure()
    expect(breaker.state()).toBe('open')
    expect(breaker.allow()).toBe(false)
    clock.t += 1_000
    expect(breaker.allow()).toBe(true)
    expect(breaker.state()).toBe('half-open')
    expect(breaker.allow()).toBe(false)
    breaker.success()
    expect(breaker.allow()).toBe(true)
    expect(changes).toEqual(['open', 'half-open', 'closed'])
    expect(breaker.trips()).toBe(1)
  })

  it('reopens when the probe fails', () => {
    const { clock, breaker } = setup()
    for (let i = 0; i < 3; i += 1) breaker.failure()
    clock.t += 1_000
    expect(breaker.allow()).toBe(true)
    breaker.failure()
    expect(breaker.state()).toBe('open')
    expect(breaker.allow()).toBe(false)
    expect(breaker.trips()).toBe(2)
  })

  it('allows a new probe when the previous one never reported back', () => {
    const { clock, breaker } = setup()
    for (let i = 0; i < 3; i += 1) breaker.failure()
    clock.t += 1_000
    expect(breaker.allow()).toBe(true)
    clock.t += 999
    expect(breaker.allow()).toBe(false)
    clock.t += 1
    expect(breaker.allow()).toBe(true)
  })
})
