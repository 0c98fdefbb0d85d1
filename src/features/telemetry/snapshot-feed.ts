import { Repeater, SlidingBuffer } from 'graphql-yoga'
import { AppError } from '../../errors.ts'
import type { PerformanceSnapshot } from './telemetry-types.ts'

export const MIN_SNAPSHOT_INTERVAL_MS = 100
export const MAX_SNAPSHOT_INTERVAL_MS = 60_000

export interface SnapshotFeed {
  /** Snapshots every `intervalMs` until the consumer returns or `signal` aborts. */
  subscribe(intervalMs: number, signal?: AbortSignal): AsyncIterableIterator<PerformanceSnapshot>
  subscribers(): number
  stop(): void
}

interface Ticker {
  timer: NodeJS.Timeout
  listeners: Set<(s: PerformanceSnapshot) => void>
}

/**
 * One timer and one snapshot per distinct interval, fanned out to every subscriber of that interval: 1,000
 * subscribers at 1 s cost one snapshot a second, not 1,000. Each subscriber buffers only the newest snapshot,
 * so a slow client skips stale ones instead of growing server memory.
 */
export function createSnapshotFeed(produce: () => Promise<PerformanceSnapshot>, onError: (e: unknown) => void): SnapshotFeed {
  const tickers = new Map<number, Ticker>()
  const repeaters = new Set<() => void>()

  const tick = async (ticker: Ticker) => {
    if (ticker.listeners.size === 0) return
    try {
      const snapshot = await produce()
      for (const listener of ticker.listeners) listener(snapshot)
    } catch (error) {
      onError(error)
    }
  }

  const join = (intervalMs: number, listener: (s: PerformanceSnapshot) => void) => {
    let ticker = tickers.get(intervalMs)
    if (!ticker) {
      const created: Ticker = { listeners: new Set(), timer: setInterval(() => void tick(created), intervalMs) }
      created.timer.unref()
      tickers.set(intervalMs, (ticker = created))
    }
    ticker.listeners.add(listener)
    return () => {
      ticker.listeners.delete(listener)
      if (ticker.listeners.size === 0) {
        clearInterval(ticker.timer)
        tickers.delete(intervalMs)
      }
    }
  }

  return {
    subscribe(intervalMs, signal) {
      if (!Number.isInteger(intervalMs) || intervalMs < MIN_SNAPSHOT_INTERVAL_MS || intervalMs > MAX_SNAPSHOT_INTERVAL_MS) {
        throw new AppError('BAD_INPUT', `intervalMs must be between ${MIN_SNAPSHOT_INTERVAL_MS} and ${MAX_SNAPSHOT_INTERVAL_MS}`, { intervalMs })
      }
      return new Repeater<PerformanceSnapshot>(async (push, stop) => {
        const leave = join(intervalMs, (s) => void push(s))
        const end = () => stop()
        repeaters.add(end)
        signal?.addEventListener('abort', end, { once: true })
        await stop
        leave()
        repeaters.delete(end)
        signal?.removeEventListener('abort', end)
      }, new SlidingBuffer(1))
    },
    subscribers: () => [...tickers.values()].reduce((n, t) => n + t.listeners.size, 0),
    stop() {
      for (const end of [...repeaters]) end()
      for (const ticker of tickers.values()) clearInterval(ticker.timer)
      tickers.clear()
    },
  }
}
