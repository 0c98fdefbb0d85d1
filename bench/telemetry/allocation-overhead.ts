import type { AllocationProfile } from './allocation-profile.ts'
import { startAppProcess } from './in-process-overhead.ts'

export interface AllocationFigures {
  offBytes: number
  onBytes: number
  /** Of those, the bytes per request that outlived a scavenge. */
  offPromotedBytes: number
  onPromotedBytes: number
  /** Sites whose allocations per request differ most between the sides, on minus off, largest first. */
  differences: { site: string; bytes: number }[]
}

const mean = (profiles: AllocationProfile[]): AllocationProfile => {
  const sites: Record<string, number> = {}
  for (const p of profiles) for (const [site, bytes] of Object.entries(p.sites)) sites[site] = (sites[site] ?? 0) + bytes / profiles.length
  return { bytesPerRequest: profiles.reduce((sum, p) => sum + p.bytesPerRequest, 0) / profiles.length, sites }
}

/**
 * Bytes allocated per request with monitoring on vs off: both apps in one process (as the `shared` layout),
 * each request warmed up, then `rounds` alternating profiled batches of `perBatch` requests per side. Allocation
 * drives the garbage collector's share of the CPU, and unlike the timings it holds still on a noisy machine, so
 * the difference by site shows where monitoring's cost comes from.
 */
export async function allocationOverhead(
  bodies: Record<string, string>,
  options: { rounds: number; perBatch: number; topSites: number },
): Promise<Record<string, AllocationFigures>> {
  const host = await startAppProcess(['on', 'off'], null)
  const sides = { on: 0, off: 1 } as const
  const out: Record<string, AllocationFigures> = {}
  try {
    for (const [name, body] of Object.entries(bodies)) {
      for (const app of [sides.off, sides.on, sides.off, sides.on]) await host.run({ app, body, n: options.perBatch }) // warm-up
      const profiles = { on: [] as AllocationProfile[], off: [] as AllocationProfile[] }
      const promoted = { on: [] as AllocationProfile[], off: [] as AllocationProfile[] }
      for (let r = 0; r < options.rounds; r++) {
        for (const side of r % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
          for (const [kind, into] of [['all', profiles], ['promoted', promoted]] as const) {
            const result = await host.run({ app: sides[side], body, n: options.perBatch, allocations: kind })
            if (result.error || !result.allocations) throw new Error(`${name}: ${result.error ?? 'no allocation profile'}`)
            into[side].push(result.allocations)
          }
        }
      }
      const on = mean(profiles.on)
      const off = mean(profiles.off)
      const differences = [...new Set([...Object.keys(on.sites), ...Object.keys(off.sites)])]
        .map((site) => ({ site, bytes: (on.sites[site] ?? 0) - (off.sites[site] ?? 0) }))
        .sort((a, b) => Math.abs(b.bytes) - Math.abs(a.bytes))
        .slice(0, options.topSites)
      out[name] = {
        offBytes: off.bytesPerRequest, onBytes: on.bytesPerRequest, differences,
        offPromotedBytes: mean(promoted.off).bytesPerRequest, onPromotedBytes: mean(promoted.on).bytesPerRequest,
      }
    }
  } finally {
    await host.stop()
  }
  return out
}
