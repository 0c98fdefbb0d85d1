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
  /** The phase-offset start timeout, then the interval timer. */
  timer: NodeJS.Timeout | null
  listeners: Set<(s: PerformanceSnapshot) => void>
}

const stopTicker = (ticker: Ticker) => {
  if (ticker.timer) {
    clearTimeout(ticker.timer)
    clearInterval(ticker.timer)
  }
}

/** Phases per interval: subscribers of one interval are spread over this many timers, ≥ 100 ms apart. */
const MAX_PHASES = 10
const MIN_PHASE_GAP_MS = 100

/**
 * Subscribers of one interval share timers and snapshots, but not one single burst: they are spread over up to
 * 10 phases of the interval (fewest listeners first), so 1,000 subscribers at 1 s become ten fan-outs of ~100
 * every 100 ms. One big fan-out would stall the event loop for all of them and every later delivery would wait
 * behind it. Each subscriber buffers only the newest snapshot, so a slow client skips stale ones instead of
 * growing server memory.
 */
export function createSnapshotFeed(produce: () => Promise<PerformanceSnapshot>, onError: (e: unknown) => void): SnapshotFeed {
  const tickers = new Map<string, Ticker>()
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

  const phaseFor = (intervalMs: number): number => {
    const phases = Math.max(1, Math.min(MAX_PHASES, Math.floor(intervalMs / MIN_PHASE_GAP_MS)))
    let best = 0
    let fewest = Number.POSITIVE_INFINITY
    for (let phase = 0; phase < phases; phase++) {
      const size = tickers.get(`${intervalMs}:${phase}`)?.listeners.size ?? 0
      if (size < fewest) [best, fewest] = [phase, size]
    }
    return best
  }

  const open = (intervalMs: number, phase: number): Ticker => {
    const ticker: Ticker = { listeners: new Set(), timer: null }
    const phases = Math.max(1, Math.min(MAX_PHASES, Math.floor(intervalMs / MIN_PHASE_GAP_MS)))
    // Phase p starts p/phases of an interval late; each slot then keeps its own steady period.
    const start = setTimeout(() => {
      void tick(ticker)
      ticker.timer = setInterval(() => void tick(ticker), intervalMs)
      ticker.timer.unref()
    }, intervalMs + (phase * intervalMs) / phases)
    start.unref()
    ticker.timer = start
    return ticker
  }

  const join = (intervalMs: number, listener: (s: PerformanceSnapshot) => void) => {
    const key = `${intervalMs}:${phaseFor(intervalMs)}`
    let ticker = tickers.get(key)
    if (!ticker) tickers.set(key, (ticker = open(intervalMs, Number(key.split(':')[1]))))
    ticker.listeners.add(listener)
    return () => {
      ticker.listeners.delete(listener)
      if (ticker.listeners.size === 0) {
        stopTicker(ticker)
        tickers.delete(key)
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
      for (const ticker of tickers.values()) stopTicker(ticker)
      tickers.clear()
    },
  }
}
