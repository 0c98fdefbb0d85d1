import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { BatchRequest, BatchResult } from './app-process.ts'
import { pinProcess, type CpuPlan } from './cpu-pinning.ts'
import { median, pairedMedian } from './interleaved-throughput.ts'

const APP_PROCESS = fileURLToPath(new URL('./app-process.ts', import.meta.url))

interface AppProcess { run(request: BatchRequest): Promise<BatchResult>; stop(): Promise<void> }
/** One app to send batches to: an app of an app process. */
interface Side { run(request: Omit<BatchRequest, 'app'>): Promise<BatchResult> }

/** An app process hosting one app per entry of `sides` (in that order), pinned to `cpu` once its apps are ready. */
export async function startAppProcess(sides: ('on' | 'off')[], cpu: number | null): Promise<AppProcess> {
  const child: ChildProcess = fork(APP_PROCESS, [sides.join(',')], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve())
    child.once('exit', (code) => reject(new Error(`app process (${sides.join(',')}) exited with ${code}`)))
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

const sideOf = (host: AppProcess, app: number): Side => ({ run: (request) => host.run({ ...request, app }) })

/**
 * The two sides of one pair. `separate`: each app in a process of its own, started in `order`. `shared`: both
 * apps in one process, created in `order`, so they share the JIT's compiled code, the heap and the CPU.
 */
async function startPair(layout: Layout, kinds: { on: 'on' | 'off'; off: 'off' }, order: ('on' | 'off')[], cpu: number | null) {
  if (layout === 'shared') {
    const host = await startAppProcess(order.map((side) => kinds[side]), cpu)
    return { sides: { on: sideOf(host, order.indexOf('on')), off: sideOf(host, order.indexOf('off')) }, processes: [host] }
  }
  const processes = {} as Record<'on' | 'off', AppProcess>
  for (const side of order) processes[side] = await startAppProcess([kinds[side]], cpu)
  return { sides: { on: sideOf(processes.on, 0), off: sideOf(processes.off, 0) }, processes: Object.values(processes) }
}

export type Layout = 'separate' | 'shared'

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

/** One pair: alternating batches of each request, only one side running at a time. */
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
 * Monitoring on vs off without sockets: the real app takes the same request through `yoga.fetch` in short
 * alternating batches, one side at a time, so a burst of load from other processes hits both alike, over
 * `pairs` fresh pairs (the median pair is the figure). Every measured process is pinned to the same CPU
 * (`cpuPlan`): unpinned, two processes running the same code differ by up to ±20 % on a VM.
 * `layout: 'separate'` runs each side in a process of its own: nothing crosses over (JIT feedback, GC, the
 * monitoring side's 1-second sampler), but two processes of the same code still differ by ±5-10 % (JIT and
 * heap layout), about the size of the target. `layout: 'shared'` runs both apps in one process: that difference
 * cancels, so what remains is the per-request cost of monitoring; the sampler's timer then bills both sides
 * alike (its cost per second is reported apart). `sides` = off/off gives the A/A control: the method's noise floor.
 */
export async function inProcessOverhead(
  bodies: Record<string, string>,
  options: { pairs: number; batches: number; perBatch: number; cpus: CpuPlan; layout: Layout; sides?: { on: 'on' | 'off'; off: 'off' } },
): Promise<Record<string, OverheadFigures>> {
  const all: Record<string, { on: BatchResult[]; off: BatchResult[]; pairRatios: number[] }> = {}
  for (let pair = 0; pair < options.pairs; pair++) {
    // The start order flips every pair: the process (or app) started first tends to run a little slower.
    const kinds = { on: options.sides?.on ?? 'on', off: 'off' } as const
    const order: ('on' | 'off')[] = pair % 2 === 0 ? ['on', 'off'] : ['off', 'on']
    const { sides, processes } = await startPair(options.layout, kinds, order, options.cpus.measured)
    try {
      for (const [name, runs] of Object.entries(await measurePair(sides, bodies, options.batches, options.perBatch))) {
        const acc = (all[name] ??= { on: [], off: [], pairRatios: [] })
        acc.on.push(...runs.on)
        acc.off.push(...runs.off)
        acc.pairRatios.push(pairedMedian(runs.on.map((r) => r.cpuUs), runs.off.map((r) => r.cpuUs)))
      }
    } finally {
      await Promise.all(processes.map((p) => p.stop()))
    }
  }
  return Object.fromEntries(Object.entries(all).map(([name, r]) => [name, {
    offUs: median(r.off.map((x) => x.wallUs)), onUs: median(r.on.map((x) => x.wallUs)),
    offCpuUs: median(r.off.map((x) => x.cpuUs)), onCpuUs: median(r.on.map((x) => x.cpuUs)),
    pairRatios: r.pairRatios, ratio: median(r.pairRatios),
  }]))
}
