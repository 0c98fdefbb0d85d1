// Pothos loads graphql through Node (CommonJS main); import the same copy, not Vite's ESM build.
import { graphql } from 'graphql/index.js'
import { describe, expect, it } from 'vitest'
import type { AppContext } from '../../context.ts'
import type { Role, Viewer } from '../auth/viewer.ts'
import { buildSchema } from '../../schema/index.ts'
import { loaded, makeKey, makeResult, silentLogger } from './cache-test-support.ts'
import { createCache } from './create-cache.ts'
import { createCacheWarmer } from './create-cache-warmer.ts'
import './cache.schema.ts'

const viewerWith = (role: Role): Viewer => ({ id: role.toLowerCase(), name: role, role, anonymous: false })

async function setup(role: Role = 'ADMIN') {
  const cache = createCache({ redis: null, subscriber: null, logger: silentLogger, prefix: 'p', instanceId: 'one' })
  const warmed: string[] = []
  const cacheWarmer = createCacheWarmer({
    cache,
    run: async (s) => void warmed.push(s.sql),
    topStatements: async () => [{ sql: 'SELECT 1', params: [], viewer: viewerWith('ANALYST') }],
    logger: silentLogger,
  })
  const datasets = { get: async (id: string) => (id === 'ds1' ? { id } : null) }
  const contextValue = { viewer: viewerWith(role), services: { cache, cacheWarmer, datasets } } as unknown as AppContext
  const run = (source: string) => graphql({ schema: buildSchema(), source, contextValue })
  return { cache, warmed, run }
}

describe('cache schema', () => {
  it('reports the cache statistics with per-fingerprint figures', async () => {
    const { cache, run } = await setup()
    const load = async () => loaded(makeResult([['x']]))
    await cache.getOrLoad(makeKey(), load)
    await cache.getOrLoad(makeKey(), load)
    const response = await run(`{ cacheStats { instanceId l1Hits l2Hits misses hitRatio entries timeSavedMs
      l2 { enabled breaker } fingerprints(first: 5) { fingerprint hits misses hitRatio } } }`)
    expect(response.errors).toBeUndefined()
    expect(response.data?.cacheStats).toEqual({
      instanceId: 'one', l1Hits: 1, l2Hits: 0, misses: 1, hitRatio: 0.5, entries: 1, timeSavedMs: 12,
      l2: { enabled: false, breaker: null },
      fingerprints: [{ fingerprint: 'fp', hits: 1, misses: 1, hitRatio: 0.5 }],
    })
  })

  it('invalidates and warms a dataset', async () => {
    const { cache, warmed, run } = await setup()
    await cache.getOrLoad(makeKey(), async () => loaded(makeResult([['x']])))
    const response = await run('mutation { invalidateCache(datasetId: "ds1") { dropped generation propagated } warmCache(datasetId: "ds1") }')
    expect(response.errors).toBeUndefined()
    expect(response.data).toEqual({ invalidateCache: { dropped: 1, generation: 1, propagated: false }, warmCache: 1 })
    expect(warmed).toEqual(['SELECT 1'])
  })

  it('refuses unknown datasets and non-admins', async () => {
    const admin = await setup()
    const missing = await admin.run('mutation { invalidateCache(datasetId: "nope") { dropped } }')
    expect(missing.errors?.[0]?.extensions.code).toBe('NOT_FOUND')
    const analyst = await setup('ANALYST')
    for (const source of ['{ cacheStats { misses } }', 'mutation { warmCache(datasetId: "ds1") }']) {
      const response = await analyst.run(source)
      expect(response.errors?.[0]?.extensions.code).toBe('FORBIDDEN')
    }
    expect(analyst.warmed).toEqual([])
  })
})
