import { httpLoad } from './http-load.ts'

export interface InterleavedResult {
  /** Requests per second of each round, per side. */
  on: number[]
  off: number[]
  errors: number
}

/**
 * Monitoring on vs off on a shared, noisy machine: both servers run side by side and take the same request in
 * short alternating rounds (the order flips every round), so load from other processes hits both sides alike.
 */
export async function interleavedThroughput(urls: { on: string; off: string }, body: string, options: { rounds: number; roundMs: number; concurrency: number }): Promise<InterleavedResult> {
  const result: InterleavedResult = { on: [], off: [], errors: 0 }
  for (const side of ['off', 'on'] as const) await httpLoad(`${urls[side]}/graphql`, body, options.concurrency, options.roundMs) // warm-up
  for (let round = 0; round < options.rounds; round++) {
    for (const side of round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
      const r = await httpLoad(`${urls[side]}/graphql`, body, options.concurrency, options.roundMs)
      result[side].push(r.perSec)
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
