import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, testRedisUrl } from './support/backends.ts'
import { startTestApp, type TestApp } from './support/test-app.ts'

const SQL = 'query ($q: String!) { sql(query: $q) { rows cached cacheLevel } }'
const STATS = '{ cacheStats { l1Hits l2Hits misses loads coalesced entries bytes maxBytes evictions l2 { enabled } } }'

/** 300 sales rows over three regions; amounts are whole numbers so sums compare exactly. */
function salesCsv(rows = 300): string {
  const regions = ['north', 'south', 'east']
  const lines = ['id,region,amount']
  for (let i = 1; i <= rows; i += 1) lines.push(`${i},${regions[i % 3]},${i * 10}`)
  return `${lines.join('\n')}\n`
}

type SqlAnswer = { rows: unknown[][]; cached: boolean; cacheLevel: 'L1' | 'L2' | null }

async function sql(t: TestApp, query: string): Promise<SqlAnswer> {
  const response = await t.gql<{ sql: SqlAnswer }>(SQL, { q: query })
  expect(response.errors).toBeUndefined()
  return response.data!.sql
}

async function stats(t: TestApp) {
  const response = await t.gql(STATS)
  expect(response.errors).toBeUndefined()
  return response.data.cacheStats
}

const redisUrl = testRedisUrl()

describe.each(backends())('result cache through GraphQL on $name', (backend) => {
  let t: TestApp
  let datasetId: string
  beforeAll(async () => {
    const run = randomBytes(4).toString('hex')
    t = await startTestApp(backend, {
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      PHERS_CACHE_PREFIX: `phers-t-cache-${run}`,
      PHERS_INSTANCE_ID: `cache-${run}`,
    })
    const uploaded = await t.upload(salesCsv(), { name: 'sales' })
    expect(uploaded.errors).toBeUndefined()
    datasetId = uploaded.data!.uploadDataset.id
  })
  afterAll(async () => t?.stop())

  it('serves two spellings of one statement from one entry, and keeps different constants apart', async () => {
    const first = await sql(t, 'SELECT region, sum(amount) AS total FROM sales WHERE id > 10 GROUP BY region ORDER BY region')
    expect(first.cacheLevel).toBeNull()
    const respelled = await sql(t, `select REGION, SUM(amount)   as total
      from SALES /* same question */ where id>10 group by region order by region -- respelled`)
    expect(respelled).toMatchObject({ cached: true, cacheLevel: 'L1' })
    expect(respelled.rows).toEqual(first.rows)
    const otherConstant = await sql(t, 'SELECT region, sum(amount) AS total FROM sales WHERE id > 11 GROUP BY region ORDER BY region')
    expect(otherConstant.cacheLevel).toBeNull()
    expect(otherConstant.rows).not.toEqual(first.rows)
    const otherAlias = await sql(t, 'SELECT region, sum(amount) AS sum_total FROM sales WHERE id > 10 GROUP BY region ORDER BY region')
    expect(otherAlias.cacheLevel).toBeNull()
  })

  it('runs 100 concurrent identical misses once', async () => {
    const before = await stats(t)
    const query = 'SELECT region, count(*), max(amount) FROM sales WHERE amount > 15 GROUP BY region ORDER BY region'
    const answers = await Promise.all(Array.from({ length: 100 }, () => sql(t, query)))
    const after = await stats(t)
    expect(after.loads - before.loads).toBe(1)
    expect(after.misses - before.misses).toBe(1)
    for (const answer of answers) expect(answer.rows).toEqual(answers[0]!.rows)
    // Everyone else either joined the one execution (and shares its uncached answer) or came later and hit L1.
    expect(after.coalesced - before.coalesced + (after.l1Hits - before.l1Hits)).toBe(99)
  })

  it('reports cached answers to chat questions', async () => {
    const ask = () =>
      t.gql('query ($d: ID) { chat(message: "what is the total amount", datasetId: $d) { sql rows cached cacheLevel } }', { d: datasetId })
    const first = await ask()
    expect(first.errors).toBeUndefined()
    expect(first.data.chat.sql).toMatch(/sum/i)
    expect(first.data.chat.rows).toEqual([['451500']])
    const second = await ask()
    expect(second.data.chat).toMatchObject({ cached: true, cacheLevel: 'L1', rows: first.data.chat.rows })
  })

  it('counts hits and misses, invalidates a dataset and warms it again (admin)', async () => {
    const query = 'SELECT count(*) FROM sales WHERE region = \'north\''
    const before = await stats(t)
    expect((await sql(t, query)).cacheLevel).toBeNull()
    expect((await sql(t, query)).cacheLevel).toBe('L1')
    const counted = await stats(t)
    expect(counted.misses - before.misses).toBe(1)
    expect(counted.l1Hits - before.l1Hits).toBe(1)
    expect(counted.entries).toBeGreaterThan(0)
    expect(counted.l2.enabled).toBe(redisUrl !== null)

    const invalidated = await t.gql('mutation ($d: ID!) { invalidateCache(datasetId: $d) { dropped generation propagated } }', { d: datasetId })
    expect(invalidated.errors).toBeUndefined()
    expect(invalidated.data.invalidateCache.dropped).toBeGreaterThan(0)
    expect(invalidated.data.invalidateCache.propagated).toBe(redisUrl !== null)
    expect((await sql(t, query)).cacheLevel).toBeNull()

    await t.gql('mutation ($d: ID!) { invalidateCache(datasetId: $d) { dropped } }', { d: datasetId })
    const warmed = await t.gql('mutation ($d: ID!) { warmCache(datasetId: $d) }', { d: datasetId })
    expect(warmed.errors).toBeUndefined()
    expect(warmed.data.warmCache).toBeGreaterThan(0)
    expect((await sql(t, query)).cacheLevel).toBe('L1')
  })

  it('refuses the cache admin operations to a non-admin key', async () => {
    const created = await t.gql('mutation { createApiKey(name: "reader", role: VIEWER) { key } }')
    expect(created.errors).toBeUndefined()
    const key = created.data.createApiKey.key as string
    const denied = await t.gql(STATS, {}, { key })
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN')
    const invalidate = await t.gql('mutation ($d: ID!) { invalidateCache(datasetId: $d) { dropped } }', { d: datasetId }, { key })
    expect(invalidate.errors?.[0]?.extensions?.code).toBe('FORBIDDEN')
  })
})

describe('L1 byte bound through GraphQL', () => {
  const L1_BYTES = 16 * 1024
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp(backends()[0]!, { PHERS_CACHE_L1_BYTES: String(L1_BYTES) })
    expect((await t.upload(salesCsv(), { name: 'sales' })).errors).toBeUndefined()
  })
  afterAll(async () => t?.stop())

  it('never holds more than its budget and evicts the least recently used results first', async () => {
    // Each result is 20 rows, a few hundred bytes serialized: 60 of them are several times the budget.
    const query = (n: number) => `SELECT id, region, amount FROM sales WHERE id > ${n} ORDER BY id LIMIT 20`
    for (let n = 0; n < 60; n += 1) {
      expect((await sql(t, query(n))).cacheLevel).toBeNull()
      const current = await stats(t)
      expect(current.bytes).toBeLessThanOrEqual(L1_BYTES)
    }
    const full = await stats(t)
    expect(full.maxBytes).toBe(L1_BYTES)
    expect(full.evictions).toBeGreaterThan(0)
    expect(full.entries).toBeLessThan(60)
    expect((await sql(t, query(59))).cacheLevel).toBe('L1')
    expect((await sql(t, query(0))).cacheLevel).toBeNull()
  })
})
