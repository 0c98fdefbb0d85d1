/**
 * Cache benchmark: a generated 1,000,000-row sales table is ingested into a throwaway database on real
 * PostgreSQL, the full app serves it over HTTP with Redis as L2, and one aggregate query is timed
 * uncached (cache cleared), as an L2 hit (L1 cleared) and as an L1 hit, each hit alternating with `{ __typename }`
 * as the floor.
 * Prints medians and ratios against the targets (L1 ≥ 100× faster than uncached and ≤ 1.5× the floor; L2 ≤ 3×
 * the floor) and exits 1 when one is missed. Run: `npm run bench:cache` (DATABASE_URL and REDIS_URL or the local
 * defaults; BENCH_ROWS to change the size). The CSV goes to the OS temp dir and is reused.
 */
import { randomBytes } from 'node:crypto'
import { createReadStream, existsSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { createApp, type App } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { ANONYMOUS_ADMIN } from '../../src/features/auth/resolve-viewer.ts'
import { generateSalesCsv } from './generate-sales-csv.ts'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const SAMPLES = { uncached: 9, l2: 300, l1: 500 }
// On loopback without PHERS_ADMIN_KEY every request is the anonymous admin; the dataset belongs to it.
const OWNER = ANONYMOUS_ADMIN

async function csvFile(): Promise<string> {
  const file = path.join(tmpdir(), `phers-bench-cache-${ROWS}.csv`)
  if (!existsSync(file)) {
    console.log(`generating ${ROWS} rows into ${file} …`)
    await generateSalesCsv(file, ROWS)
  }
  return file
}

async function admin(...statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL })
  await client.connect()
  try {
    for (const statement of statements) await client.query(statement)
  } finally {
    await client.end()
  }
}

/** One keep-alive connection, like a dashboard client: the measurement is the server's round trip. */
function graphqlClient(baseUrl: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const url = new URL('/graphql', baseUrl)
  return (query: string): Promise<{ data?: Record<string, any>; errors?: unknown[] }> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({ query })
      const req = request(url, {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-phers-client': 'bench' },
      }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))))
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end(body)
    })
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Times `samples` requests; `before` runs untimed ahead of each (to clear a level); checks every answer. */
async function measure(samples: number, ask: () => Promise<unknown>, before: () => Promise<void> = async () => {}) {
  const times: number[] = []
  for (let i = 0; i < samples; i += 1) {
    await before()
    times.push(await timed(ask))
  }
  return median(times)
}

async function timed(ask: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await ask()
  return performance.now() - started
}

/**
 * Times `ask` and the floor request in alternation, so both medians see the same machine load: on a shared
 * machine the load drifts within seconds, and a ratio of medians taken minutes apart measures the drift.
 */
async function measureAgainstFloor(samples: number, ask: () => Promise<unknown>, floor: () => Promise<unknown>, before: () => Promise<void> = async () => {}) {
  const times: number[] = []
  const floors: number[] = []
  for (let i = 0; i < samples; i += 1) {
    await before()
    times.push(await timed(ask))
    floors.push(await timed(floor))
  }
  return { ms: median(times), floorMs: median(floors) }
}

async function main(): Promise<void> {
  const file = await csvFile()
  const database = `phers_bench_cache_${randomBytes(4).toString('hex')}`
  await admin(`CREATE DATABASE ${database}`)
  let app: App | null = null
  let roles: string[] = []
  try {
    const databaseUrl = new URL(ADMIN_URL)
    databaseUrl.pathname = `/${database}`
    const config = loadConfig({
      DATABASE_URL: databaseUrl.toString(), REDIS_URL, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error',
      PHERS_CACHE_PREFIX: `phers-bench-${randomBytes(4).toString('hex')}`, PHERS_STATEMENT_TIMEOUT_MS: '60000',
    })
    app = await createApp(config)
    const cache = app.services.cache
    if (!cache) throw new Error('createApp does not wire the cache yet (services.cache is missing)')
    const baseUrl = await app.start()
    roles = await app.services.roles.listRoles()

    console.log(`ingesting ${ROWS} rows …`)
    const started = performance.now()
    const dataset = await app.services.datasets.ingest({
      source: createReadStream(file, { highWaterMark: 1024 * 1024 }), fileName: 'sales.csv', name: 'bench_sales', owner: OWNER,
    })
    console.log(`ingested ${dataset.rowCount} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`)

    const post = graphqlClient(baseUrl)
    const statement = `SELECT region, category, count(*) AS orders, sum(quantity) AS units, round(avg(amount), 2) AS mean
      FROM ${dataset.tableName} GROUP BY region, category ORDER BY region, category`
    const aggregate = (expected: 'L1' | 'L2' | null) => async () => {
      const response = await post(`{ sql(query: ${JSON.stringify(statement)}) { rowCount cacheLevel } }`)
      const level = response.data?.sql?.cacheLevel ?? null
      if (response.errors || level !== expected) {
        throw new Error(`expected cacheLevel ${expected}, got ${JSON.stringify(response)}`)
      }
    }
    const floor = async () => {
      const response = await post('{ __typename }')
      if (response.data?.__typename !== 'Query') throw new Error(`floor request failed: ${JSON.stringify(response)}`)
    }

    // Warm the connection, the plan cache and the JIT of every path once before timing.
    await measure(3, aggregate(null), () => cache.clear())
    await measure(50, floor)
    // The last uncached sample filled both levels; from here on only L1 is cleared.
    const uncached = await measure(SAMPLES.uncached, aggregate(null), () => cache.clear())
    await cache.writesSettled()
    await measure(50, aggregate('L2'), async () => void (await cache.clear('L1')))
    const l2 = await measureAgainstFloor(SAMPLES.l2, aggregate('L2'), floor, async () => void (await cache.clear('L1')))
    await aggregate('L1')()
    const l1 = await measureAgainstFloor(SAMPLES.l1, aggregate('L1'), floor)

    const checks = [
      { name: 'L1 hit vs uncached', value: uncached / l1.ms, target: '≥ 100×', ok: uncached / l1.ms >= 100 },
      { name: 'L1 hit vs floor', value: l1.ms / l1.floorMs, target: '≤ 1.5×', ok: l1.ms / l1.floorMs <= 1.5 },
      { name: 'L2 hit vs floor', value: l2.ms / l2.floorMs, target: '≤ 3×', ok: l2.ms / l2.floorMs <= 3 },
    ]
    console.log(`\nmedian round trip over HTTP (${dataset.rowCount} rows, ${app.config.database.kind}, Redis L2)`)
    console.table({
      uncached: { ms: +uncached.toFixed(3), samples: SAMPLES.uncached },
      'L2 hit (L1 cleared)': { ms: +l2.ms.toFixed(3), samples: SAMPLES.l2 },
      'floor, alternating with L2 hits': { ms: +l2.floorMs.toFixed(3), samples: SAMPLES.l2 },
      'L1 hit': { ms: +l1.ms.toFixed(3), samples: SAMPLES.l1 },
      'floor, alternating with L1 hits': { ms: +l1.floorMs.toFixed(3), samples: SAMPLES.l1 },
    })
    console.table(Object.fromEntries(checks.map((c) => [c.name, { ratio: +c.value.toFixed(2), target: c.target, ok: c.ok }])))
    const stats = cache.stats()
    console.log(`cache: ${stats.hits.L1} L1 hits, ${stats.hits.L2} L2 hits, ${stats.misses} misses, ${stats.bytes} bytes in L1`)
    if (checks.some((c) => !c.ok)) process.exitCode = 1
    roles = await app.services.roles.listRoles()
  } finally {
    await app?.stop()
    // Roles are cluster-wide: drop the ones this database's app created along with it.
    const dropRoles = roles.map((role) => `DROP ROLE IF EXISTS "${role.replaceAll('"', '""')}"`)
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`, ...dropRoles)
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
