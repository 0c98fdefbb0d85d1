import type { Clock } from './ttl-policy.ts'

export type BreakerState = 'closed' | 'open' | 'half-open'

/**
 * Closed → (N consecutive failures) → open → (after resetMs, one probe) → half-open → closed or open again.
 * Hand-written rather than opossum: the cache needs only this state machine with an injectable clock, while
 * opossum wraps each call in its own timer/event machinery and would be a new shared dependency.
 */
export interface CircuitBreaker {
  /** Whether a call may go out now; in half-open only the single probe gets true. */
  allow(): boolean
  success(): void
  failure(): void
  state(): BreakerState
  /** Times the breaker went from closed or half-open to open. */
  trips(): number
}

export function createCircuitBreaker(deps: {
  failureThreshold: number
  resetMs: number
  clock: Clock
  onChange?: (state: BreakerState) => void
}): CircuitBreaker {
  const { failureThreshold, resetMs, clock, onChange } = deps
  let current: BreakerState = 'closed'
  let failures = 0
  let openedAt = 0
  let probeAt = 0
  let tripCount = 0

  const move = (next: BreakerState) => {
    if (next === current) return
    current = next
    onChange?.(next)
  }
  const trip = () => {
    openedAt = clock.now()
    tripCount += 1
    move('open')
  }

  return {
    allow() {
      if (current === 'closed') return true
      const now = clock.now()
      // A probe that never reported back must not keep the breaker half-open forever.
      const probeDue = current === 'open' ? now - openedAt >= resetMs : now - probeAt >= resetMs
      if (!probeDue) return false
      probeAt = now
      move('half-open')
      return true
    },
    success() {
      failures = 0
      move('closed')
    },
    failure() {
      failures += 1
      if (current === 'half-open' || (current === 'closed' && failures >= failureThreshold)) trip()
    },
    state: () => current,
    trips: () => tripCount,
  }
}
