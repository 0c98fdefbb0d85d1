import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../src/features/telemetry/graphql-ws-collect.ts'
import { backends, testRedisUrl } from './support/backends.ts'
import { sharedDatabase } from './support/shared-database.ts'
import { startTestApp, type TestApp } from './support/test-app.ts'

const SQL = 'query ($q: String!) { sql(query: $q) { rows cacheLevel } }'
const QUERY = 'SELECT min(v) AS low, max(v) AS high, count(*) AS n FROM metrics'

/** Version k has 100·k rows, all with v = k: any row of an older version shows in min, max or count. */
const versionCsv = (version: number) => {
  const lines = ['id,v']
  for (let i = 1; i <= version * 100; i += 1) lines.push(`${i},${version}`)
  return `${lines.join('\n')}\n`
}

type Read = { rows: [string, string, string][]; cacheLevel: 'L1' | 'L2' | null }

async function read(t: TestApp): Promise<Read> {
  const response = await t.gql<{ sql: Read }>(SQL, { q: QUERY })
  expect(response.errors).toBeUndefined()
  return response.data!.sql
}

const versionOf = (r: Read) => {
  const [low, high, n] = r.rows[0]!.map(Number) as [number, number, number]
  // A mix of versions would break one of these; the caller checks which version it expects.
  expect(high).toBe(low)
  expect(n).toBe(low * 100)
  return low
}

// Two instances share one database only on real PostgreSQL (two PGlite instances cannot).
const postgres = backends().find((b) => b.name === 'postgres')
const redisUrl = testRedisUrl()

describe.skipIf(!postgres || !redisUrl)('two app instances over one PostgreSQL database and one Redis', () => {
  const run = randomBytes(4).toString('hex')
  let drop: () => Promise<void> = async () => {}
  let a: TestApp
  let b: TestApp
  beforeAll(async () => {
    const shared = await sharedDatabase(postgres!)
    drop = shared.drop
    const env = (name: string) => ({ REDIS_URL: redisUrl!, PHERS_CACHE_PREFIX: `phers-t-inst-${run}`, PHERS_INSTANCE_ID: `${name}-${run}` })
    // One after the other: both migrate the same database.
    a = await startTestApp(shared.backend, env('a'))
    b = await startTestApp(shared.backend, env('b'))
    expect((await a.upload(versionCsv(1), { name: 'metrics' })).errors).toBeUndefined()
  })
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()])
    await drop()
  })

  it('B is served from L2 what A executed, then from its own L1', async () => {
    const onA = await read(a)
    expect(onA.cacheLevel).toBeNull()
    expect(versionOf(onA)).toBe(1)
    const onB = await read(b)
    expect(onB.cacheLevel).toBe('L2')
    expect(onB.rows).toEqual(onA.rows)
    expect((await read(b)).cacheLevel).toBe('L1')
  })

  it('after an upload through A returns, B never answers with a row of the old version', async () => {
    for (let version = 2; version <= 4; version += 1) {
      // Both instances hold the old version in L1 before the upload.
      expect(versionOf(await read(a))).toBe(version - 1)
      expect(versionOf(await read(b))).toBe(version - 1)
      expect((await read(b)).cacheLevel).toBe('L1')

      // Readers on B during the upload may see either version; a read started after it returned must not.
      let returned = false
      const during: { startedAfter: boolean; version: number }[] = []
      const reader = async () => {
        while (!returned) {
          const startedAfter = returned
          during.push({ startedAfter, version: versionOf(await read(b)) })
        }
      }
      const readers = [reader(), reader()]
      const uploaded = await a.upload(versionCsv(version), { name: 'metrics' })
      returned = true
      expect(uploaded.errors).toBeUndefined()
      expect(uploaded.data!.uploadDataset.version).toBe(version)

      const after = await Promise.all(Array.from({ length: 20 }, () => read(b)))
      for (let i = 0; i < 30; i += 1) after.push(await read(b))
      for (const r of after) expect(versionOf(r)).toBe(version)
      expect(versionOf(await read(a))).toBe(version)
      await Promise.all(readers)
      for (const seen of during) {
        if (seen.startedAfter) expect(seen.version).toBe(version)
        else expect([version - 1, version]).toContain(seen.version)
      }
      expect(during.length).toBeGreaterThan(0)
      // The new version is cached again: hits resume on B.
      expect((await read(b)).cacheLevel).toBe('L1')
    }
  })

  it('an invalidation on A reaches B: its L1 entry is dropped and the result read again', async () => {
    expect((await read(b)).cacheLevel).toBe('L1')
    const dataset = await a.gql('{ dataset(name: "metrics") { id } }')
    const invalidated = await a.gql('mutation ($d: ID!) { invalidateCache(datasetId: $d) { propagated } }', { d: dataset.data.dataset.id })
    expect(invalidated.data.invalidateCache.propagated).toBe(true)
    // Pub/sub delivers asynchronously; B must drop the entry promptly, not after its TTL.
    await waitFor(async () => (await read(b)).cacheLevel !== 'L1', 5_000)
    const stats = await b.gql('{ cacheStats { l2Hits misses } }')
    expect(stats.data.cacheStats.l2Hits + stats.data.cacheStats.misses).toBeGreaterThan(1)
  })
})
