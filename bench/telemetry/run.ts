/**
 * Telemetry benchmark (`npm run bench:telemetry`), all on loopback, bounded in time:
 *  (a) throughput of `{ __typename }` with monitoring on vs off — in process in many alternating batches (robust
 *      to other load on the machine) and over HTTP in alternating fresh server processes — and the recorder's own cost per statement (what monitoring adds to each cached `sql`
 *      request besides the plugin); target overhead < 5 %.
 *  (b) BENCH_SUBSCRIBERS (default 1,000) graphql-ws subscribers to 1-second snapshots on one instance:
 *      delivery lag p50/p99 (target p99 < 100 ms), server CPU and memory per subscriber. The subscribers are
 *      spread over BENCH_CLIENT_PROCESSES (default 4) client processes.
 * BENCH_SECONDS (default 5) sets the length of each throughput round; BENCH_PART=a or b runs one part.
 */
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { pino } from 'pino'
import { createPubSub } from 'graphql-yoga'
import { createTelemetry } from '../../src/features/telemetry/telemetry.ts'
import { testBackends } from '../../src/features/telemetry/telemetry-test-db.ts'
import { httpLoad } from './http-load.ts'
import { interleavedOverhead } from './interleaved-overhead.ts'
import { subscriberLag } from './subscriber-lag.ts'

const SERVER = fileURLToPath(new URL('./bench-server.ts', import.meta.url))
const seconds = Number(process.env.BENCH_SECONDS ?? 5)
const subscribers = Number(process.env.BENCH_SUBSCRIBERS ?? 1000)
const clientProcesses = Number(process.env.BENCH_CLIENT_PROCESSES ?? 4)
const MB = 1024 ** 2

async function withServer<T>(mode: 'on' | 'off', fn: (s: { url: string; wsUrl: string }) => Promise<T>): Promise<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER, mode], { stdio: ['pipe', 'pipe', 'inherit'] })
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)))
  })
  try {
    return await fn(JSON.parse(line) as { url: string; wsUrl: string })
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.stdin!.end('stop\n')
    await exited
  }
}

async function throughput() {
  const body = JSON.stringify({ query: '{ __typename }' })
  const rounds: Record<'on' | 'off', number[]> = { on: [], off: [] }
  for (const mode of ['off', 'on', 'off', 'on'] as const) {
    const result = await withServer(mode, async ({ url }) => {
      await httpLoad(`${url}/graphql`, body, 16, 1_000) // warm-up
      return httpLoad(`${url}/graphql`, body, 16, seconds * 1_000)
    })
    rounds[mode].push(result.perSec)
    console.log(`  { __typename } monitoring ${mode}: ${result.perSec.toFixed(0)} req/s (${result.errors} errors)`)
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
  const overhead = 1 - mean(rounds.on) / mean(rounds.off)
  console.log(`  HTTP overhead: ${(overhead * 100).toFixed(1)} % (separate processes per round: noisy on a shared machine)`)
}

async function recorderCost() {
  const db = await testBackends()[0]!.open()
  const telemetry = createTelemetry({ db: db.db, pubsub: createPubSub(), logger: pino({ level: 'silent' }), instanceId: 'bench', options: { prometheus: { defaultMetrics: false } } })
  const n = 500_000
  const started = performance.now()
  for (let i = 0; i < n; i++) {
    telemetry.recordStatement({ fingerprint: `fp${i % 200}`, sql: 'select 1', durationMs: 0.3, rows: 10, error: null, cacheLevel: 'L1', datasets: ['d'] })
  }
  const perCallUs = ((performance.now() - started) * 1000) / n
  console.log(`  recordStatement: ${perCallUs.toFixed(2)} µs per call (200 fingerprints, L1 hits)`)
  const opsStarted = performance.now()
  for (let i = 0; i < n; i++) telemetry.recordOperation({ name: `Op${i % 50}`, type: 'query', durationMs: 0.3, error: null })
  console.log(`  recordOperation: ${(((performance.now() - opsStarted) * 1000) / n).toFixed(2)} µs per call (50 operations)`)
  await telemetry.stop()
  await db.stop()
}

async function fanOut() {
  await withServer('on', async ({ url, wsUrl }) => {
    const baseline = async () => {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ performance { resources { rssBytes heapUsedBytes } } }' }),
      }).then((r) => r.json() as Promise<{ data: { performance: { resources: { rssBytes: number; heapUsedBytes: number } } } }>)
      return { rss: res.data.performance.resources.rssBytes, heap: res.data.performance.resources.heapUsedBytes }
    }
    const r = await subscriberLag(wsUrl, subscribers, clientProcesses, 10_000, baseline)
    console.log(`  ${r.subscribers} subscribers in ${clientProcesses} client processes, ${r.deliveries} deliveries in 10 s`)
    console.log(`  delivery lag p50 ${r.lagP50Ms} ms, p99 ${r.lagP99Ms} ms, max ${r.lagMaxMs} ms (target p99 < 100 ms)`)
    console.log(`  server event-loop delay max ${r.serverLoopDelayMaxMs.toFixed(0)} ms (one fan-out blocks the loop this long at most)`)
    console.log(`  server CPU ${r.serverCpuPercent.toFixed(1)} % of one core (${(r.serverCpuPercent / r.subscribers).toFixed(3)} % per subscriber)`)
    // PGlite returns start-up memory to the OS during the run, so RSS can fall; the heap delta is the per-subscriber cost.
    console.log(`  server heap ${(r.serverHeapBeforeBytes / MB).toFixed(0)} → ${(r.serverHeapAfterBytes / MB).toFixed(0)} MB = ` +
      `${((r.serverHeapAfterBytes - r.serverHeapBeforeBytes) / r.subscribers / 1024).toFixed(1)} KiB per subscriber; ` +
      `RSS ${(r.serverRssBeforeBytes / MB).toFixed(0)} → ${(r.serverRssAfterBytes / MB).toFixed(0)} MB`)
  })
}

const part = process.env.BENCH_PART ?? 'ab'
if (part.includes('a')) {
  console.log('(a) throughput, monitoring on vs off')
  const inProcess = await interleavedOverhead(100, 200)
  console.log(`  in-process { __typename }, 100 alternating batches: off ${inProcess.offUs.toFixed(1)} µs, on ${inProcess.onUs.toFixed(1)} µs per request (median), overhead ${(inProcess.overhead * 100).toFixed(1)} % (target < 5 %)`)
  await throughput()
  await recorderCost()
}
if (part.includes('b')) {
  console.log(`(b) ${subscribers} graphql-ws subscribers to 1-second snapshots`)
  await fanOut()
}
