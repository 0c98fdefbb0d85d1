import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { BatchRequest, BatchResult } from './app-process.ts'
import { pinProcess, type CpuPlan } from './cpu-pinning.ts'
import { median, pairedMedian } from './interleaved-throughput.ts'

const APP_PROCESS = fileURLToPath(new URL('./app-process.ts', import.meta.url))

interface Side { run(request: BatchRequest): Promise<BatchResult>; stop(): Promise<void> }

async function startSide(telemetry: 'on' | 'off', cpu: number | null): Promise<Side> {
  const child: ChildProcess = fork(APP_PROCESS, [telemetry], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve())
    child.once('exit', (code) => reject(new Error(`app process (${telemetry}) exited with ${code}`)))
  })
  // Pinned once ready: start-up (PGlite, the sample dataset) may use every CPU, the measured batches use one.
  if (cpu !== null) pinProcess(child.pid!, cpu)
  return {
    run: (request) =>
      new Promise<BatchResult>((resolve) => {
        child.once('message', (result: BatchResult) => resolve(result))
        child.send(request)
      }),
    stop: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve())
      child.send('stop')
    }),
  }
}

export interface OverheadFigures {
  /** Medians over every batch of every process pair, per request. */
  offUs: number
  onUs: number
  offCpuUs: number
  onCpuUs: number
  /** Per process pair: the median of its paired on/off CPU ratios. */
  pairRatios: number[]
  /** The median of `pairRatios`: the overhead figure. */
  ratio: number
}

/** One pair of processes: alternating batches of each request, only one side running at a time. */
async function measurePair(sides: { on: Side; off: Side }, bodies: Record<string, string>, batches: number, perBatch: number) {
  const out: Record<string, { on: BatchResult[]; off: BatchResult[] }> = {}
  for (const [name, body] of Object.entries(bodies)) {
    for (const side of ['off', 'on', 'off', 'on'] as const) await sides[side].run({ body, n: perBatch * 5 }) // warm-up
    const runs = { on: [] as BatchResult[], off: [] as BatchResult[] }
    for (let b = 0; b < batches; b++) {
      for (const side of b % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
        const result = await sides[side].run({ body, n: perBatch })
        if (result.error) throw new Error(`${name}: ${result.error}`)
        runs[side].push(result)
      }
    }
    out[name] = runs
  }
  return out
}

/**
 * Monitoring on vs off without sockets and without the two sides sharing a process: each side is the real app
 * in a process of its own (so neither JIT feedback nor process-wide GC observers cross over), taking the same
 * request through `yoga.fetch` in short alternating batches, one side at a time, so a burst of load from other
 * processes hits both alike. Both sides are pinned to the same CPU (`cpuPlan`): unpinned, two processes running
 * the same code differ by up to ±20 % on a VM. What differs still (JIT, heap layout) is averaged by repeating
 * this over `pairs` fresh pairs and taking the median pair. `sides` = off/off gives the
 * A/A control: the noise floor of the method on this machine.
 */
export async function inProcessOverhead(
  bodies: Record<string, string>,
  options: { pairs: number; batches: number; perBatch: number; cpus: CpuPlan; sides?: { on: 'on' | 'off'; off: 'off' } },
): Promise<Record<string, OverheadFigures>> {
  const all: Record<string, { on: BatchResult[]; off: BatchResult[]; pairRatios: number[] }> = {}
  for (let pair = 0; pair < options.pairs; pair++) {
    // The start order flips every pair: the process started first tends to run a little slower (A/A control).
    const kinds = { on: options.sides?.on ?? 'on', off: 'off' } as const
    const sides = {} as { on: Side; off: Side }
    for (const side of pair % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) sides[side] = await startSide(kinds[side], options.cpus.measured)
    try {
      for (const [name, runs] of Object.entries(await measurePair(sides, bodies, options.batches, options.perBatch))) {
        const acc = (all[name] ??= { on: [], off: [], pairRatios: [] })
        acc.on.push(...runs.on)
        acc.off.push(...runs.off)
        acc.pairRatios.push(pairedMedian(runs.on.map((r) => r.cpuUs), runs.off.map((r) => r.cpuUs)))
      }
    } finally {
      await Promise.all([sides.on.stop(), sides.off.stop()])
    }
  }
  return Object.fromEntries(Object.entries(all).map(([name, r]) => [name, {
    offUs: median(r.off.map((x) => x.wallUs)), onUs: median(r.on.map((x) => x.wallUs)),
    offCpuUs: median(r.off.map((x) => x.cpuUs)), onCpuUs: median(r.on.map((x) => x.cpuUs)),
    pairRatios: r.pairRatios, ratio: median(r.pairRatios),
  }]))
}
