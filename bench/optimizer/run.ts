/**
 * Index advisor benchmark on real PostgreSQL: a generated 1,000,000-row dataset, a workload of six query shapes
 * (point lookup, selective filter, filter + ORDER BY … LIMIT, date range, lower() match, full aggregate). Prints
 * the p50 of each shape before and after applying the advisor's recommendations, what each candidate evaluation
 * cost (rollback builds), the worst latency a concurrent reader saw meanwhile, and checks the targets:
 * ≥ 10× on the selective shapes, no index for the full aggregate, recommendations in < 10 s.
 * Run: `npm run bench:optimizer` (DATABASE_URL or the local default; BENCH_ROWS, BENCH_RUNS to change sizes).
 */
import { randomBytes } from 'node:crypto'
import { fingerprintSync, loadModule } from 'libpg-query'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { pino } from 'pino'
import { createDatabaseRoles } from '../../src/features/auth/database-roles.ts'
import type { Viewer } from '../../src/features/auth/viewer.ts'
import { createIndexAdvisor } from '../../src/features/optimizer/index-advisor.ts'
import { createWorkloadRecorder, type WorkloadRecorder } from '../../src/features/sql/workload-recorder.ts'
import { createDatabase } from '../../src/infra/database.ts'
import { migrateToLatest } from '../../src/infra/migrate.ts'
import { createBenchTable } from './bench-table.ts'
import { SHAPES, type QueryShape } from './workload-shapes.ts'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 15)
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const TARGET_SPEEDUP = 10
const TARGET_RECOMMEND_MS = 10_000
const DATASET_ID = 'bench-assets'
const admin: Viewer = { id: 'bench-admin', name: 'bench', role: 'ADMIN', anonymous: false }

const p50 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

/** Runs every shape RUNS times with varying constants; returns p50 per shape and records the workload. */
async function runWorkload(pool: pg.Pool, workload: WorkloadRecorder | null): Promise<Map<QueryShape, number>> {
  const result = new Map<QueryShape, number>()
  for (const shape of SHAPES) {
    const times: number[] = []
    for (let i = 0; i < RUNS; i += 1) {
      const text = shape.sql(i)
      const started = performance.now()
      const { rowCount } = await pool.query(text)
      const elapsed = performance.now() - started
      times.push(elapsed)
      workload?.record({ fingerprint: fingerprintSync(text), scope: 'bench', sql: text, params: [], datasetIds: [DATASET_ID], durationMs: elapsed, rows: rowCount ?? 0, errorCode: null })
    }
    result.set(shape, p50(times))
  }
  return result
}

/** A reader polling the table while candidates are built and rolled back: its worst latency shows any blocking. */
function startReaderProbe(pool: pg.Pool): { stop(): Promise<number> } {
  let running = true
  let worst = 0
  const loop = (async () => {
    while (running) {
      const started = performance.now()
      await pool.query(`SELECT asset_tag FROM assets WHERE _row = 1 LIMIT 1`)
      worst = Math.max(worst, performance.now() - started)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  })()
  return { stop: async () => ((running = false), await loop, worst) }
}

async function main(): Promise<void> {
  await loadModule()
  const name = `phers_bench_opt_${randomBytes(4).toString('hex')}`
  await adminQuery(`CREATE DATABASE ${name}`)
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  const logger = pino({ level: 'warn' })
  const database = await createDatabase({ config: { kind: 'postgres', url: url.toString() }, logger, poolSize: 4 })
  const roles = createDatabaseRoles({ db: database.db, databaseName: database.name })
  const roleSchema = roles.ownerSchema('bench')
  // The workload runs as users write it (bare table names), so the pool's sessions search the owner's schema.
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2, options: `-c search_path=${roleSchema}` })
  // An idle client killed by the server (restart, admin) must not crash the bench; the next query reconnects.
  pool.on('error', (error) => console.warn(`idle bench connection lost: ${error.message}`))
  try {
    await migrateToLatest(database.db)
    await roles.ensureBase()
    await roles.ensureOwner('bench')
    const schema = roles.ownerSchema('bench')
    let started = performance.now()
    await createBenchTable(database, schema, ROWS)
    await sql`INSERT INTO phers.datasets (id, owner_id, name, table_name, schema_name, row_count) VALUES (${DATASET_ID}, 'bench', 'assets', 'assets', ${schema}, ${ROWS})`.execute(database.db)
    await database.transaction((session) => roles.grantTable(session.db, schema, 'assets', 'bench'))
    console.log(`generated ${ROWS.toLocaleString('en-US')} rows in ${ms(performance.now() - started)}; ${RUNS} runs per shape`)

    const workload = createWorkloadRecorder({ db: database.db, logger, flushIntervalMs: 60_000 })
    const before = await runWorkload(pool, workload)
    const advisor = createIndexAdvisor({ database, roles, workload, logger, limits: { statementTimeoutMs: 120_000 } })

    const idleProbe = startReaderProbe(pool)
    await new Promise((resolve) => setTimeout(resolve, 3_000))
    const idleWorst = await idleProbe.stop()
    const probe = startReaderProbe(pool)
    started = performance.now()
    const run = await advisor.recommend(DATASET_ID)
    const recommendMs = performance.now() - started
    const worstRead = await probe.stop()
    console.log(`\nrecommendations in ${ms(recommendMs)} (${run.method}; ${run.evaluated} candidates evaluated, ${run.skipped} left for later); a concurrent reader's worst latency meanwhile: ${ms(worstRead)} (${ms(idleWorst)} in 3 s before)`)
    for (const c of run.candidates) console.log(`  evaluated ${c.statement}: ${ms(c.elapsedMs)}, ${(c.sizeBytes / 1024 ** 2).toFixed(1)} MB${c.failed ? ' (failed)' : ''}`)
    for (const r of run.recommendations) {
      console.log(`\n  → ${r.statement}\n    ${r.reason}\n    helps: ${r.helped.map((h) => SHAPES.find((s) => fingerprintSync(s.sql(0)) === h.fingerprint)?.name ?? h.fingerprint).join(', ')}`)
    }
    for (const r of run.recommendations) {
      const applied = await advisor.apply(r.id, admin)
      console.log(`  applied ${r.indexName}: ${applied.status}, ${applied.measured?.note}`)
    }
    const after = await runWorkload(pool, null)
    report(before, after, run.recommendations.flatMap((r) => r.helped.map((h) => h.fingerprint)), recommendMs)
    await advisor.stop()
    await workload.stop()
  } finally {
    await pool.end()
    await database.stop()
    await dropBenchDatabase(name)
  }
}

function report(before: Map<QueryShape, number>, after: Map<QueryShape, number>, helped: string[], recommendMs: number): void {
  console.log(`\n${'shape'.padEnd(26)} ${'p50 before'.padStart(12)} ${'p50 after'.padStart(12)} ${'speedup'.padStart(9)}  index`)
  const failures: string[] = []
  for (const shape of SHAPES) {
    const speedup = before.get(shape)! / after.get(shape)!
    const indexed = helped.includes(fingerprintSync(shape.sql(0)))
    console.log(`${shape.name.padEnd(26)} ${ms(before.get(shape)!).padStart(12)} ${ms(after.get(shape)!).padStart(12)} ${`${speedup.toFixed(1)}×`.padStart(9)}  ${indexed ? 'yes' : 'no'}`)
    if (shape.selective && speedup < TARGET_SPEEDUP) failures.push(`${shape.name}: ${speedup.toFixed(1)}× < ${TARGET_SPEEDUP}×`)
    if (!shape.selective && indexed) failures.push(`${shape.name} got an index`)
  }
  if (recommendMs >= TARGET_RECOMMEND_MS) failures.push(`recommendations took ${ms(recommendMs)}`)
  console.log(failures.length === 0 ? '\nPASS: all targets met' : `\nFAIL:\n  ${failures.join('\n  ')}`)
  if (failures.length > 0) process.exitCode = 1
}

async function dropBenchDatabase(name: string): Promise<void> {
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: ADMIN_URL, max: 1 }) }) })
  try {
    await sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(db)
    for (const role of await createDatabaseRoles({ db, databaseName: name }).listRoles()) await sql`DROP ROLE IF EXISTS ${sql.id(role)}`.execute(db)
  } finally {
    await db.destroy()
  }
}

await main()
