/**
 * Telemetry benchmark (`npm run bench:telemetry`) against the real app (`phers serve --sample`, embedded PGlite),
 * all on loopback, bounded in time:
 *  (a) throughput of `{ __typename }` and of a cached `sql` request with monitoring on (default) vs off
 *      (PHERS_TELEMETRY=0: no plugin, no recording, no sampling); target overhead < 5 %.
 *      - In process (no sockets): the app driven through `yoga.fetch` in short alternating batches over
 *        BENCH_PAIRS (default 6) fresh pairs, each with an off/off A/A control that shows the method's noise
 *        floor. Twice: both apps in one process (the per-request cost, free of the ±5-10 % by which two
 *        processes of the same code differ) and one process per side (everything included).
 *      - Over HTTP: two server processes side by side, loaded in short alternating rounds (throughput and
 *        server CPU per request).
 *      Every measured process is pinned to the same CPU and the driver/load to the others (`cpu-pinning.ts`:
 *      on a VM, unpinned processes differ by up to ±20 % whatever they run). Plus the recorder's own cost per
 *      call and the once-a-second sampler round.
 *      - Allocation per request, on vs off, by site (V8's sampling heap profiler): steady on a noisy machine,
 *        and it shows where monitoring's garbage comes from; then how much of it outlived a scavenge.
 *  (b) BENCH_SUBSCRIBERS (default 1,000) graphql-ws subscribers to 1-second snapshots on one instance:
 *      delivery lag p50/p99 (target p99 < 100 ms), server CPU and memory per subscriber. The subscribers are
 *      spread over BENCH_CLIENT_PROCESSES (default 4) client processes.
 * BENCH_ROUNDS (default 10), BENCH_ROUND_MS (default 1000) and BENCH_SERVER_PAIRS (default 2) shape the HTTP
 * figure of part (a); BENCH_PART=a or b runs one part; BENCH_LAYOUTS (default `shared,separate,http,allocations`)
 * picks part (a)'s comparisons, e.g. `shared` alone to spend a run's time on more pairs of the per-request figure;
 * BENCH_REQUESTS (e.g. `sql`) keeps the in-process comparisons to the requests whose name contains it.
 */
import { loadavg } from 'node:os'
import { pino } from 'pino'
import { parse } from 'graphql'
import { createPubSub } from 'graphql-yoga'
import { createTelemetry } from '../../src/features/telemetry/telemetry.ts'
import { testBackends } from '../../src/features/telemetry/telemetry-test-db.ts'
import { startServeProcess, type ServeProcess } from '../../src/features/telemetry/serve-process.ts'
import { useTelemetry } from '../../src/features/telemetry/use-telemetry.ts'
import { cpuPlan, currentCpus, describePlan, pinProcess, type CpuPlan } from './cpu-pinning.ts'
import { allocationOverhead } from './allocation-overhead.ts'
import { bootstrapMedianInterval } from './bootstrap-interval.ts'
import { coldRecordingCost } from './cold-recording-cost.ts'
import { inProcessOverhead } from './in-process-overhead.ts'
import { interleavedThroughput, median, pairedMedian, pct, type InterleavedResult } from './interleaved-throughput.ts'
import { subscriberLag } from './subscriber-lag.ts'

const rounds = Number(process.env.BENCH_ROUNDS ?? 10)
const inProcessPairs = Number(process.env.BENCH_PAIRS ?? 6)
const serverPairs = Number(process.env.BENCH_SERVER_PAIRS ?? 2)
const roundMs = Number(process.env.BENCH_ROUND_MS ?? 1_000)
const subscribers = Number(process.env.BENCH_SUBSCRIBERS ?? 1000)
const clientProcesses = Number(process.env.BENCH_CLIENT_PROCESSES ?? 4)
const LAYOUTS = ['shared', 'separate', 'http', 'allocations'] as const
const layouts = (process.env.BENCH_LAYOUTS ?? LAYOUTS.join(',')).split(',').map((l) => l.trim())
const unknownLayout = layouts.find((l) => !(LAYOUTS as readonly string[]).includes(l))
if (unknownLayout !== undefined) throw new Error(`BENCH_LAYOUTS: unknown layout "${unknownLayout}" (known: ${LAYOUTS.join(', ')})`)
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
const requestFilter = process.env.BENCH_REQUESTS ?? ''
if (!Object.keys(REQUESTS).some((name) => name.includes(requestFilter))) throw new Error(`BENCH_REQUESTS: no request name contains "${requestFilter}"`)
/** The same requests as the JSON bodies the in-process comparisons send (those BENCH_REQUESTS names). */
const BODIES = Object.fromEntries(
  Object.entries(REQUESTS).filter(([name]) => name.includes(requestFilter)).map(([name, request]) => [name, JSON.stringify(request)]),
)

async function inProcess(cpus: CpuPlan) {
  const report = (label: string, [a, b]: [string, string], verdict: string, figures: Awaited<ReturnType<typeof inProcessOverhead>>) => {
    for (const [name, r] of Object.entries(figures)) {
      const [low, high] = bootstrapMedianInterval(r.pairRatios)
      console.log(`  ${label}, ${name}: ${a} ${r.onUs.toFixed(1)} µs, ${b} ${r.offUs.toFixed(1)} µs per request; CPU ${a} ${r.onCpuUs.toFixed(1)} µs, ` +
        `${b} ${r.offCpuUs.toFixed(1)} µs; CPU ${a} vs ${b} per pair ${r.pairRatios.map(pct).join(', ')}: median ${pct(r.ratio)}, ` +
        `95 % bootstrap interval ${pct(low)} … ${pct(high)} (${verdict}); load ${load()}`)
    }
  }
  for (const layout of (['shared', 'separate'] as const).filter((l) => layouts.includes(l))) {
    const shape = { pairs: inProcessPairs, batches: 40, perBatch: 200, cpus, layout }
    console.log(layout === 'shared'
      ? `  in process, both apps in one process (per-request cost; JIT, heap and CPU shared): ${shape.pairs} fresh processes × ${shape.batches} alternating batches of ${shape.perBatch} requests`
      : `  in process, one process per side (everything included, ±5-10 % between processes): ${shape.pairs} fresh pairs × ${shape.batches} alternating batches of ${shape.perBatch} requests`)
    report('monitoring on vs off', ['on', 'off'], 'overhead; target < 5 %, met when the interval ends below it', await inProcessOverhead(BODIES, shape))
    report('A/A control', ['off', 'off'], 'the method\'s noise floor', await inProcessOverhead(BODIES, { ...shape, pairs: Math.max(2, Math.ceil(shape.pairs / 2)), sides: { on: 'off', off: 'off' } }))
  }
}

async function allocations() {
  const shape = { rounds: 2, perBatch: 10_000, topSites: 8 }
  console.log(`  allocation per request (V8's sampling heap profiler, freed objects included; both apps in one process, ${shape.rounds} × ${shape.perBatch} requests each):`)
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`
  const signed = (bytes: number) => `${bytes >= 0 ? '+' : '−'}${Math.abs(bytes).toFixed(0)} B`
  for (const [name, r] of Object.entries(await allocationOverhead(BODIES, shape))) {
    console.log(`  ${name}: off ${kb(r.offBytes)}, on ${kb(r.onBytes)} (${signed(r.onBytes - r.offBytes)}, ${pct(r.onBytes / r.offBytes)}); ` +
      `largest differences by site (inlining can move bytes between neighbouring sites; the total is what counts):`)
    for (const d of r.differences) console.log(`      ${signed(d.bytes).padStart(8)}  ${d.site}`)
    console.log(`    of which outlived a scavenge (copied by it, marked by the next full collection): off ${r.offPromotedBytes.toFixed(0)} B, ` +
      `on ${r.onPromotedBytes.toFixed(0)} B per request`)
  }
}

/** Rounds are spread over BENCH_SERVER_PAIRS fresh server pairs, started in flipped order (see in-process-overhead). */
async function throughput(cpus: CpuPlan, onSide: 'on' | 'off' = 'on') {
  const label = onSide === 'on' ? { on: 'on', off: 'off', verdict: 'overhead', target: '; target < 5 %' } : { on: 'off', off: 'off', verdict: 'A/A control, the noise floor', target: '' }
  const results = new Map<string, InterleavedResult[]>()
  const perPair = Math.max(1, Math.round(rounds / serverPairs))
  for (let pair = 0; pair < serverPairs; pair++) {
    const servers = {} as Record<'on' | 'off', ServeProcess>
    for (const side of pair % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) servers[side] = await startServer(side === 'on' ? onSide : 'off')
    if (cpus.measured !== null) for (const server of Object.values(servers)) pinProcess(server.pid, cpus.measured)
    try {
      for (const [name, request] of Object.entries(REQUESTS)) {
        const r = await interleavedThroughput({ on: servers.on.url, off: servers.off.url }, JSON.stringify(request), { rounds: perPair, roundMs, concurrency: 16 })
        results.set(name, [...(results.get(name) ?? []), r])
      }
    } finally {
      await Promise.all([servers.on.stop(), servers.off.stop()])
    }
  }
  for (const [name, parts] of results) {
    const all = (key: keyof Omit<InterleavedResult, 'errors'>) => parts.flatMap((r) => r[key])
    console.log(`  ${name}: throughput ${label.off} ${median(all('off')).toFixed(0)} req/s, ${label.on} ${median(all('on')).toFixed(0)} req/s ` +
      `(paired-round change ${pct(pairedMedian(all('on'), all('off')))}); server CPU per request ${label.off} ${median(all('cpuUsOff')).toFixed(0)} µs, ` +
      `${label.on} ${median(all('cpuUsOn')).toFixed(0)} µs: ${label.verdict} ${pct(pairedMedian(all('cpuUsOn'), all('cpuUsOff')))} ` +
      `(median of ${perPair * serverPairs} paired ${roundMs} ms rounds over ${serverPairs} server pairs${label.target}), ` +
      `${parts.reduce((n, r) => n + r.errors, 0)} errors; load ${load()}`)
  }
}

/**
 * Monitoring's own work per request, in isolation: the plugin's hooks around one execution (which record the
 * operation) and the recording of one statement. Deterministic figures beside the noisy end-to-end ones.
 */
async function recorderCost() {
  const db = await testBackends()[0]!.open()
  const telemetry = createTelemetry({ db: db.db, pubsub: createPubSub(), logger: pino({ level: 'silent' }), instanceId: 'bench', options: { prometheus: { defaultMetrics: false } } })
  const n = 500_000
  const perCall = (fn: (i: number) => void) => {
    for (let i = 0; i < n / 10; i++) fn(i) // warm-up
    const started = performance.now()
    for (let i = 0; i < n; i++) fn(i)
    return (((performance.now() - started) * 1000) / n).toFixed(2)
  }
  const fingerprints = Array.from({ length: 200 }, (_, i) => `fp${i}`)
  const statement = perCall((i) => telemetry.recordStatement({ fingerprint: fingerprints[i % 200]!, sql: 'select 1', durationMs: 0.3, rows: 10, error: null, cacheLevel: 'L1', datasets: ['d'], viewerId: 'admin' }))
  console.log(`  recordStatement: ${statement} µs per call (200 fingerprints, L1 hits)`)
  // One statement and its operation, as a cached request records them, with the caches cold and warm.
  const request = coldRecordingCost(() => {
    telemetry.recordStatement({ fingerprint: fingerprints[0]!, sql: 'select 1', durationMs: 0.03, rows: 5, error: null, cacheLevel: 'L1', datasets: ['d'], viewerId: 'admin' })
    telemetry.recordOperation({ name: 'Sql', type: 'query', durationMs: 0.08, error: null })
  }, { evictBytes: 1024 ** 2, calls: 10_000, rounds: 15 })
  console.log(`  recordStatement + recordOperation of one request: ${request.coldUs.toFixed(2)} µs with the caches cold (1 MiB touched between calls, ` +
    `as between requests), ${request.hotUs.toFixed(2)} µs warm`)
  const names = Array.from({ length: 50 }, (_, i) => `Op${i}`)
  console.log(`  recordOperation: ${perCall((i) => telemetry.recordOperation({ name: names[i % 50]!, type: 'query', durationMs: 0.3, error: null }))} µs per call (50 operations)`)
  // The plugin as envelop drives it: onExecute swaps in the timed execute function, which envelop then calls.
  type Execute = (args: { document: unknown; operationName: undefined }) => unknown
  const hooks = useTelemetry(telemetry) as unknown as { onExecute(payload: { executeFn: Execute; setExecuteFn(fn: Execute): void }): void }
  const documents = names.map((name) => parse(`query ${name} { __typename }`))
  const result = { data: { __typename: 'Query' } }
  const engine: Execute = () => result
  let timed: Execute = engine
  const payload = { executeFn: engine, setExecuteFn: (fn: Execute) => void (timed = fn) }
  const plugin = perCall((i) => {
    hooks.onExecute(payload)
    timed({ document: documents[i % 50], operationName: undefined })
  })
  console.log(`  plugin hooks around one execution (records the operation): ${plugin} µs per operation`)
  // The once-a-second round (resources, alerts over every series, the snapshot), with the 250 series made above.
  const rounds = 50
  const started = performance.now()
  for (let i = 0; i < rounds; i++) await telemetry.evaluate()
  console.log(`  sampler round (resources, alert rules, snapshot; 200 fingerprints, 50 operations): ${((performance.now() - started) / rounds).toFixed(2)} ms, once per second`)
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
  const cpus = cpuPlan()
  console.log(`  ${describePlan(cpus)}`)
  const ownCpus = cpus.others === null ? null : currentCpus()
  if (cpus.others !== null) pinProcess(process.pid, cpus.others)
  try {
    await inProcess(cpus)
    if (layouts.includes('allocations')) await allocations()
    if (layouts.includes('http')) {
      console.log('  over HTTP: monitoring on vs off, then off vs off (A/A control)')
      await throughput(cpus)
      await throughput(cpus, 'off')
    }
  } finally {
    // Part (b)'s client processes inherit this process's CPUs: they get them all back.
    if (ownCpus !== null) pinProcess(process.pid, ownCpus)
  }
  await recorderCost()
}
if (part.includes('b')) {
  console.log(`(b) ${subscribers} graphql-ws subscribers to 1-second snapshots`)
  await fanOut()
}
