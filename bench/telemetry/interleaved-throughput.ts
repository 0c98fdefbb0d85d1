import { httpLoad } from './http-load.ts'

const WARMUP_MS = 2_000

export interface InterleavedResult {
  /** Requests per second of each round, per side. */
  on: number[]
  off: number[]
  /** Server CPU time (user + system) per request of each round, in µs, per side. */
  cpuUsOn: number[]
  cpuUsOff: number[]
  errors: number
}

/** The server's own CPU seconds so far, from its Prometheus default metrics (served with monitoring off too). */
async function serverCpuSeconds(url: string): Promise<number> {
  const text = await fetch(`${url}/metrics`).then((r) => r.text())
  const match = /^process_cpu_seconds_total (\S+)$/m.exec(text)
  if (!match) throw new Error(`${url}/metrics has no process_cpu_seconds_total`)
  return Number(match[1])
}

/**
 * Monitoring on vs off on a shared, noisy machine: both servers run side by side and take the same request in
 * short alternating rounds (the order flips every round), so load from other processes hits both sides alike.
 * Besides throughput it records the server's CPU time per request, which other processes' load disturbs far
 * less than wall-clock throughput.
 */
export async function interleavedThroughput(urls: { on: string; off: string }, body: string, options: { rounds: number; roundMs: number; concurrency: number }): Promise<InterleavedResult> {
  const result: InterleavedResult = { on: [], off: [], cpuUsOn: [], cpuUsOff: [], errors: 0 }
  // Warm-up: a fresh server needs ~3 s under load before its JIT settles (measured: 1.3k, 3.1k, then ~9k req/s).
  for (let i = 0; i < 2; i++) for (const side of ['off', 'on'] as const) await httpLoad(`${urls[side]}/graphql`, body, options.concurrency, WARMUP_MS)
  for (let round = 0; round < options.rounds; round++) {
    for (const side of round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
      const cpuBefore = await serverCpuSeconds(urls[side])
      const r = await httpLoad(`${urls[side]}/graphql`, body, options.concurrency, options.roundMs)
      const cpu = (await serverCpuSeconds(urls[side])) - cpuBefore
      result[side].push(r.perSec)
      result[side === 'on' ? 'cpuUsOn' : 'cpuUsOff'].push((cpu * 1e6) / Math.max(r.requests, 1))
      result.errors += r.errors
    }
  }
  return result
}

export const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Median of the per-pair ratios on[i] / off[i]: pairs taken back to back cancel most background load. */
export const pairedMedian = (on: number[], off: number[]) => median(on.map((x, i) => x / off[i]!))

/** A ratio as a signed change, `1.048` → `4.8 %`. */
export const pct = (ratio: number) => `${((ratio - 1) * 100).toFixed(1)} %`
