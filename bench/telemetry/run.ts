/**
 * Telemetry benchmark (`npm run bench:telemetry`) against the real app (`phers serve --sample`, embedded PGlite),
 * all on loopback, bounded in time:
 *  (a) throughput of `{ __typename }` and of a cached `sql` request with monitoring on (default) vs off
 *      (PHERS_TELEMETRY=0: no plugin, no recording, no sampling): two server processes side by side, loaded in
 *      short alternating rounds (throughput and server CPU per request), and two real apps in this process through
 *      `yoga.fetch` in alternating batches (the least noisy figure on a shared machine); target overhead < 5 %.
 *      Plus the recorder's own cost per call.
 *  (b) BENCH_SUBSCRIBERS (default 1,000) graphql-ws subscribers to 1-second snapshots on one instance:
 *      delivery lag p50/p99 (target p99 < 100 ms), server CPU and memory per subscriber. The subscribers are
 *      spread over BENCH_CLIENT_PROCESSES (default 4) client processes.
 * BENCH_ROUNDS (default 10) and BENCH_ROUND_MS (default 1000) shape part (a); BENCH_PART=a or b runs one part.
 */
import { loadavg } from 'node:os'
import { pino } from 'pino'
import { createPubSub } from 'graphql-yoga'
import { createTelemetry } from '../../src/features/telemetry/telemetry.ts'
import { testBackends } from '../../src/features/telemetry/telemetry-test-db.ts'
import { startServeProcess, type ServeProcess } from '../../src/features/telemetry/serve-process.ts'
import { inProcessOverhead } from './in-process-overhead.ts'
import { interleavedThroughput, median } from './interleaved-throughput.ts'
import { subscriberLag } from './subscriber-lag.ts'

const rounds = Number(process.env.BENCH_ROUNDS ?? 10)
const roundMs = Number(process.env.BENCH_ROUND_MS ?? 1_000)
const subscribers = Number(process.env.BENCH_SUBSCRIBERS ?? 1000)
const clientProcesses = Number(process.env.BENCH_CLIENT_PROCESSES ?? 4)
const MB = 1024 ** 2
const CACHED_SQL = 'SELECT manufacturer, count(*) AS n, round(avg(cost), 2) AS avg_cost FROM it_assets GROUP BY manufacturer ORDER BY n DESC LIMIT 5'
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ')

async function gql(url: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })
  return (await response.json()) as { data?: any; errors?: { message: string }[] }
}

async function startServer(telemetry: 'on' | 'off'): Promise<ServeProcess> {
  const server = await startServeProcess(
    { PHERS_DATA_DIR: ':memory:', PHERS_INSTANCE_ID: `bench-${telemetry}`, PHERS_TELEMETRY: telemetry === 'on' ? '1' : '0' },
    { args: ['--sample'] },
  )
  // --sample loads the dataset after /ready: wait until the cached request answers (that run also fills L1).
  const deadline = Date.now() + 60_000
  for (;;) {
    const answer = await gql(server.url, 'query($q: String!) { sql(query: $q) { rows } }', { q: CACHED_SQL })
    if (!answer.errors) break
    if (Date.now() > deadline) throw new Error(`sample dataset not loaded: ${JSON.stringify(answer.errors)}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  return server
}

const REQUESTS = {
  '{ __typename }': { query: '{ __typename }' },
  'cached sql': { query: 'query($q: String!) { sql(query: $q) { rows } }', variables: { q: CACHED_SQL } },
}

async function inProcess() {
  const bodies = Object.fromEntries(Object.entries(REQUESTS).map(([name, request]) => [name, JSON.stringify(request)]))
  for (const [name, r] of Object.entries(await inProcessOverhead(bodies, 100, 200))) {
    console.log(`  in process, ${name}: off ${r.offUs.toFixed(1)} µs, on ${r.onUs.toFixed(1)} µs per request (median of 100 alternating batches of 200), ` +
      `overhead ${((r.onUs / r.offUs - 1) * 100).toFixed(1)} % (target < 5 %); load ${load()}`)
  }
}

async function throughput() {
  const [on, off] = [await startServer('on'), await startServer('off')]
  try {
    const requests = REQUESTS
    for (const [name, request] of Object.entries(requests)) {
      const r = await interleavedThroughput({ on: on.url, off: off.url }, JSON.stringify(request), { rounds, roundMs, concurrency: 16 })
      // Each round pairs an on and an off run taken back to back, so their ratio cancels most background load.
      const pct = (ratio: number) => `${((ratio - 1) * 100).toFixed(1)} %`
      const paired = (on: number[], off: number[]) => median(on.map((x, i) => x / off[i]!))
      console.log(`  ${name}: throughput off ${median(r.off).toFixed(0)} req/s, on ${median(r.on).toFixed(0)} req/s ` +
        `(paired-round change ${pct(paired(r.on, r.off))}); server CPU per request off ${median(r.cpuUsOff).toFixed(0)} µs, ` +
        `on ${median(r.cpuUsOn).toFixed(0)} µs: overhead ${pct(paired(r.cpuUsOn, r.cpuUsOff))} (median of ${rounds} paired ${roundMs} ms rounds; target < 5 %), ` +
        `${r.errors} errors; load ${load()}`)
    }
  } finally {
    await Promise.all([on.stop(), off.stop()])
  }
}

/** What monitoring adds to each request besides the plugin: the recorder and Prometheus children per call. */
async function recorderCost() {
  const db = await testBackends()[0]!.open()
  const telemetry = createTelemetry({ db: db.db, pubsub: createPubSub(), logger: pino({ level: 'silent' }), instanceId: 'bench', options: { prometheus: { defaultMetrics: false } } })
  const n = 500_000
  const started = performance.now()
  for (let i = 0; i < n; i++) {
    telemetry.recordStatement({ fingerprint: `fp${i % 200}`, sql: 'select 1', durationMs: 0.3, rows: 10, error: null, cacheLevel: 'L1', datasets: ['d'], viewerId: 'admin' })
  }
  console.log(`  recordStatement: ${(((performance.now() - started) * 1000) / n).toFixed(2)} µs per call (200 fingerprints, L1 hits)`)
  const opsStarted = performance.now()
  for (let i = 0; i < n; i++) telemetry.recordOperation({ name: `Op${i % 50}`, type: 'query', durationMs: 0.3, error: null })
  console.log(`  recordOperation: ${(((performance.now() - opsStarted) * 1000) / n).toFixed(2)} µs per call (50 operations)`)
  await telemetry.stop()
  await db.stop()
}

async function fanOut() {
  const server = await startServer('on')
  try {
    const baseline = async () => {
      const res = await gql(server.url, '{ performance { resources { rssBytes heapUsedBytes } } }')
      return { rss: res.data.performance.resources.rssBytes as number, heap: res.data.performance.resources.heapUsedBytes as number }
    }
    const r = await subscriberLag(server.wsUrl, subscribers, clientProcesses, 10_000, baseline)
    console.log(`  ${r.subscribers} subscribers in ${clientProcesses} client processes, ${r.deliveries} deliveries in 10 s; load ${load()}`)
    console.log(`  delivery lag p50 ${r.lagP50Ms} ms, p99 ${r.lagP99Ms} ms, max ${r.lagMaxMs} ms (target p99 < 100 ms)`)
    console.log(`  server event-loop delay max ${r.serverLoopDelayMaxMs.toFixed(0)} ms (one fan-out blocks the loop this long at most)`)
    console.log(`  server CPU ${r.serverCpuPercent.toFixed(1)} % of one core (${(r.serverCpuPercent / r.subscribers).toFixed(3)} % per subscriber)`)
    // PGlite returns start-up memory to the OS during the run, so RSS can fall; the heap delta is the per-subscriber cost.
    console.log(`  server heap ${(r.serverHeapBeforeBytes / MB).toFixed(0)} → ${(r.serverHeapAfterBytes / MB).toFixed(0)} MB = ` +
      `${((r.serverHeapAfterBytes - r.serverHeapBeforeBytes) / r.subscribers / 1024).toFixed(1)} KiB per subscriber; ` +
      `RSS ${(r.serverRssBeforeBytes / MB).toFixed(0)} → ${(r.serverRssAfterBytes / MB).toFixed(0)} MB`)
  } finally {
    await server.stop()
  }
}

const part = process.env.BENCH_PART ?? 'ab'
console.log(`load average at start: ${load()}`)
if (part.includes('a')) {
  console.log('(a) throughput of the real app, monitoring on vs off')
  await inProcess()
  await throughput()
  await recorderCost()
}
if (part.includes('b')) {
  console.log(`(b) ${subscribers} graphql-ws subscribers to 1-second snapshots`)
  await fanOut()
}
