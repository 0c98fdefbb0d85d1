/**
 * Ingest benchmark, end to end: a generated 1,000,000-row, 12-column CSV (~110 MB) is uploaded THROUGH GRAPHQL
 * (one multipart request streamed from disk) to the real server, started as its own process
 * (`src/cli.ts serve`) on a fresh PostgreSQL database. Beside it, `psql \copy` loads the same file into a
 * 12-column text table (COPY's own CSV parser: no inference, no conversion), once before and once after the
 * upload, so a change in machine load shows. Prints rows/s of both, their ratio and the server's peak RSS above
 * its idle RSS (VmRSS sampled every 50 ms, and VmHWM); exits 1 when a target is missed. Also PostgreSQL's own
 * share of the upload with no JavaScript at all (`postgres-floor.ts`): the best ratio reachable on this machine.
 * Run: `npm run bench:ingest` (DATABASE_URL = an admin URL, default the local server; BENCH_ROWS to resize).
 * The file is written to the OS temp dir and reused, never committed.
 */
import { existsSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { pino } from 'pino'
import { createDatabase } from '../../src/infra/database.ts'
import { createDatabaseRoles } from '../../src/features/auth/database-roles.ts'
import { BENCH_HEADERS, generateBenchCsv } from './generate-csv.ts'
import { graphqlUploadFile } from './graphql-upload-file.ts'
import { startServerProcess, type ServerProcess } from './server-process.ts'
import { backendCpu, cpuSpent, threadCpu } from './cpu-times.ts'
import { postgresFloor } from './postgres-floor.ts'
import { runCommand } from './run-command.ts'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const TARGET_RATIO = 0.6
const TARGET_RSS_MB = 300
const WARMUP_ROWS = 2_000
const SAMPLE_MS = 50

async function csvFile(rows: number): Promise<string> {
  const file = path.join(tmpdir(), `phers-bench-ingest-${rows}.csv`)
  if (!existsSync(file)) {
    console.log(`generating ${rows} rows into ${file} …`)
    await generateBenchCsv(file, rows)
  }
  return file
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** `psql \copy` into a fresh same-shaped text table; returns milliseconds. */
async function psqlCopy(url: string, file: string, table: string): Promise<number> {
  const columns = BENCH_HEADERS.map((_, i) => `c${i + 1} text`).join(', ')
  await withClient(url, (c) => c.query(`CREATE TABLE ${table} (${columns})`))
  const started = performance.now()
  await runCommand('psql', [url, '-q', '-v', 'ON_ERROR_STOP=1', '-c', `\\copy ${table} FROM '${file}' WITH (FORMAT csv, HEADER true)`])
  const ms = performance.now() - started
  await withClient(url, (c) => c.query(`DROP TABLE ${table}`))
  return ms
}

/** Runs `fn` while sampling the server's RSS; the peak is the larger of the samples and VmHWM. */
async function measured<T>(server: ServerProcess, fn: () => Promise<T>): Promise<{ result: T; ms: number; peak: number }> {
  let peak = server.memory().rss
  const timer = setInterval(() => { peak = Math.max(peak, server.memory().rss) }, SAMPLE_MS)
  const started = performance.now()
  try {
    const result = await fn()
    const ms = performance.now() - started
    return { result, ms, peak: Math.max(peak, server.memory().hwm) }
  } finally {
    clearInterval(timer)
  }
}

async function dropEverything(url: string, name: string): Promise<void> {
  const logger = pino({ level: 'warn' })
  const database = await createDatabase({ config: { kind: 'postgres', url }, logger })
  const roleNames = await createDatabaseRoles({ db: database.db, databaseName: name }).listRoles().finally(() => database.stop())
  await withClient(ADMIN_URL, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    for (const role of roleNames) await c.query(`DROP ROLE IF EXISTS "${role.replaceAll('"', '""')}"`)
  })
}

/** The server's main thread, its busiest other thread (the CSV worker) and the rest (GC, libuv pool), in CPU seconds. */
function cpuLine(pid: number, threads: Map<number, number>): string {
  const main = threads.get(pid) ?? 0
  const others = [...threads].filter(([tid]) => tid !== pid).map(([, cpu]) => cpu).sort((a, b) => b - a)
  const rest = others.slice(1).reduce((a, b) => a + b, 0)
  return `server main thread ${main.toFixed(2)} s, busiest other thread (CSV worker) ${(others[0] ?? 0).toFixed(2)} s, other threads ${rest.toFixed(2)} s`
}

const rate = (rows: number, ms: number) => rows / (ms / 1000)
const fmtRate = (r: number) => Math.round(r).toLocaleString('en-US')

async function main(): Promise<boolean> {
  const file = await csvFile(ROWS)
  const warmup = await csvFile(WARMUP_ROWS)
  const name = `phers_bench_ingest_${randomBytes(4).toString('hex')}`
  await withClient(ADMIN_URL, (c) => c.query(`CREATE DATABASE ${name}`))
  const url = Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString()
  let server: ServerProcess | null = null
  try {
    const load = loadavg().map((l) => l.toFixed(2)).join(' ')
    const psqlBefore = await psqlCopy(url, file, 'psql_baseline_before')
    // BENCH_SERVER_LOG=debug shows the server's own stage timings (`csv loaded`: load and ANALYZE times).
    const logLevel = process.env.BENCH_SERVER_LOG ?? 'warn'
    server = await startServerProcess({ DATABASE_URL: url, LOG_LEVEL: logLevel }, {
      onLine: (line) => logLevel !== 'warn' && console.log(`server: ${line}`),
      // e.g. BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the server and its worker.
      nodeArgs: process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean),
    })
    // The first upload loads lazily imported code and warms the pool; idle is measured after it.
    await graphqlUploadFile(server.url, warmup, 'bench-warmup')
    await sleep(500)
    const idle = server.memory().rss
    server.resetPeak()
    const cpuBefore = { server: threadCpu(server.pid), postgres: backendCpu(name) }
    const clientBefore = process.cpuUsage()
    const up = await measured(server, () => graphqlUploadFile(server!.url, file, 'bench'))
    const client = process.cpuUsage(clientBefore)
    const threads = cpuSpent(cpuBefore.server, threadCpu(server.pid))
    const postgresCpu = [...cpuSpent(cpuBefore.postgres, backendCpu(name)).values()].reduce((a, b) => a + b, 0)
    const psqlAfter = await psqlCopy(url, file, 'psql_baseline_after')
    const dataset = up.result
    if (dataset.rowCount !== ROWS) throw new Error(`the upload reported ${dataset.rowCount} rows, the file has ${ROWS}`)
    const floor = await postgresFloor(url, file, dataset.columns, dataset.rowCount)

    const psqlMs = (psqlBefore + psqlAfter) / 2
    const ratio = rate(dataset.rowCount, up.ms) / rate(ROWS, psqlMs)
    const rssMb = (up.peak - idle) / 1024 ** 2
    console.log(`load average before: ${load}; after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
    console.log(`rows: ${dataset.rowCount}, file: ${(dataset.fileSize / 1024 ** 2).toFixed(1)} MB`)
    console.log(`columns: ${dataset.columns.map((c) => `${c.name}:${c.type}`).join(', ')}`)
    console.log(`psql \\copy (text table): ${(psqlBefore / 1000).toFixed(2)} s before, ${(psqlAfter / 1000).toFixed(2)} s after; mean ${fmtRate(rate(ROWS, psqlMs))} rows/s`)
    console.log(`PHERS upload via GraphQL: ${(up.ms / 1000).toFixed(2)} s, ${fmtRate(rate(dataset.rowCount, up.ms))} rows/s`)
    console.log(`ratio: ${ratio.toFixed(2)}× psql (target ≥ ${TARGET_RATIO}×) ${ratio >= TARGET_RATIO ? 'PASS' : 'FAIL'}`)
    const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`
    console.log(
      `PostgreSQL alone, no JavaScript (psql \\copy into the typed table${floor.asText.length ? `, ${floor.asText.join(', ')} as text` : ''}, ANALYZE, statistics): ` +
        `${seconds(floor.ms)} (${seconds(floor.copyMs)} + ${seconds(floor.analyzeMs)} + ${seconds(floor.statsMs)}) → at best ${(psqlMs / floor.ms).toFixed(2)}× psql here`,
    )
    console.log(`CPU during the upload: ${cpuLine(server.pid, threads)}; PostgreSQL backends ${postgresCpu.toFixed(2)} s; this upload client ${((client.user + client.system) / 1e6).toFixed(2)} s`)
    console.log(`server RSS: idle ${(idle / 1024 ** 2).toFixed(0)} MB, peak ${(up.peak / 1024 ** 2).toFixed(0)} MB; above idle ${rssMb.toFixed(0)} MB (target < ${TARGET_RSS_MB} MB) ${rssMb < TARGET_RSS_MB ? 'PASS' : 'FAIL'}`)
    return ratio >= TARGET_RATIO && rssMb < TARGET_RSS_MB
  } finally {
    await server?.stop()
    await dropEverything(url, name)
  }
}

process.exitCode = (await main()) ? 0 : 1
