/**
 * Ingest benchmark: a generated 1,000,000-row, 12-column CSV (~110 MB) is loaded through `ingestDataset`
 * (decode, parse, infer, COPY, convert, ANALYZE, catalog) on real PostgreSQL, beside `psql \copy` of the same
 * file into a 12-column text table (COPY's own CSV parser, no inference, no conversion). Prints rows/s for
 * both, their ratio, and the peak RSS above idle. Run: `npm run bench:ingest` (DATABASE_URL or local default;
 * BENCH_ROWS to change the size). The file is written to the OS temp dir and reused, never committed.
 */
import { spawn } from 'node:child_process'
import { createReadStream, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { pino } from 'pino'
import { createDatabase } from '../../src/infra/database.ts'
import { migrateToLatest } from '../../src/infra/migrate.ts'
import { createDatabaseRoles } from '../../src/features/auth/database-roles.ts'
import { createDatasetService } from '../../src/features/datasets/dataset-service.ts'
import { BENCH_HEADERS, generateBenchCsv } from './generate-csv.ts'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const TARGET_RATIO = 0.6
const TARGET_RSS_MB = 300

async function csvFile(): Promise<string> {
  const file = path.join(tmpdir(), `phers-bench-ingest-${ROWS}.csv`)
  if (!existsSync(file)) {
    console.log(`generating ${ROWS} rows into ${file} …`)
    await generateBenchCsv(file, ROWS)
  }
  return file
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] })
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`))))
  })
}

/** Peak resident set size while `fn` runs, sampled every 20 ms. */
async function peakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = process.memoryUsage.rss()
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()) }, 20)
  try {
    const result = await fn()
    return { result, peak: Math.max(peak, process.memoryUsage.rss()) }
  } finally {
    clearInterval(timer)
  }
}

async function psqlCopy(url: string, file: string): Promise<number> {
  const columns = BENCH_HEADERS.map((_, i) => `c${i + 1} text`).join(', ')
  await withAdmin(async () => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    await client.query(`CREATE TABLE psql_baseline (${columns})`)
    await client.end()
  })
  const started = performance.now()
  await run('psql', [url, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy psql_baseline FROM '${file}' WITH (FORMAT csv, HEADER true)`])
  return performance.now() - started
}

async function main(): Promise<void> {
  const file = await csvFile()
  const name = `phers_bench_ingest_${randomBytes(4).toString('hex')}`
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}`))
  const url = Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString()
  const logger = pino({ level: process.env.BENCH_LOG ?? 'warn' })
  const database = await createDatabase({ config: { kind: 'postgres', url }, logger })
  const roles = createDatabaseRoles({ db: database.db, databaseName: database.name })
  let roleNames: string[] = []
  try {
    await migrateToLatest(database.db)
    await roles.ensureBase()
    const service = createDatasetService({ database, roles, logger, limits: { maxUploadBytes: 1024 ** 3 } })
    const psqlMs = await psqlCopy(url, file)

    global.gc?.()
    const idle = process.memoryUsage.rss()
    const started = performance.now()
    const { result: dataset, peak } = await peakRss(() =>
      service.ingest({
        source: createReadStream(file, { highWaterMark: 1024 * 1024 }),
        fileName: path.basename(file),
        name: 'bench',
        owner: { id: 'bench', name: 'bench', role: 'ADMIN', anonymous: false },
      }),
    )
    const ingestMs = performance.now() - started
    const [columns] = await service.columns([dataset.id])
    roleNames = await roles.listRoles()

    const psqlRate = ROWS / (psqlMs / 1000)
    const ingestRate = dataset.rowCount / (ingestMs / 1000)
    const ratio = ingestRate / psqlRate
    const rssMb = (peak - idle) / 1024 ** 2
    console.log(`rows: ${dataset.rowCount}, file: ${(dataset.fileSize / 1024 ** 2).toFixed(1)} MB`)
    console.log(`columns: ${columns!.map((c) => `${c.name}:${c.type}`).join(', ')}`)
    console.log(`psql \\copy (text table): ${(psqlMs / 1000).toFixed(2)} s, ${Math.round(psqlRate).toLocaleString('en-US')} rows/s`)
    console.log(`PHERS ingest:            ${(ingestMs / 1000).toFixed(2)} s, ${Math.round(ingestRate).toLocaleString('en-US')} rows/s`)
    console.log(`ratio: ${ratio.toFixed(2)}× psql (target ≥ ${TARGET_RATIO}×) ${ratio >= TARGET_RATIO ? 'PASS' : 'FAIL'}`)
    console.log(`peak RSS above idle: ${rssMb.toFixed(0)} MB (target < ${TARGET_RSS_MB} MB) ${rssMb < TARGET_RSS_MB ? 'PASS' : 'FAIL'}`)
  } finally {
    await database.stop()
    await withAdmin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      for (const role of roleNames) await c.query(`DROP ROLE IF EXISTS "${role.replaceAll('"', '""')}"`)
    })
  }
}

await main()
