import type { AppContext } from '../../context.ts'
import { AppError } from '../../errors.ts'
import { builder } from '../../schema/builder.ts'
import type { FingerprintStats } from './cache-stats.ts'
import type { CacheWarmer } from './create-cache-warmer.ts'
import type { CacheStats, InvalidationOutcome, QueryCache } from './query-cache.ts'

declare module '../../services.ts' {
  interface Services {
    /** The two-level result cache (`createCache`); absent when the app is composed without one. */
    cache?: QueryCache
    /** Re-runs frequent statements after start-up and uploads (`createCacheWarmer`). */
    cacheWarmer?: CacheWarmer
  }
}

const FingerprintStatsRef = builder.objectRef<FingerprintStats>('CacheFingerprintStats').implement({
  description: 'Cache effectiveness for one statement shape.',
  fields: (t) => ({
    fingerprint: t.exposeString('fingerprint'),
    hits: t.exposeFloat('hits'),
    misses: t.exposeFloat('misses'),
    hitRatio: t.exposeFloat('hitRatio'),
    timeSavedMs: t.exposeFloat('timeSavedMs', { description: 'Sum of the original execution times of the hits.' }),
  }),
})

const L2StatusRef = builder.objectRef<CacheStats['l2']>('CacheL2Status').implement({
  fields: (t) => ({
    enabled: t.exposeBoolean('enabled', { description: 'False when the server runs without REDIS_URL (L1 only).' }),
    breaker: t.string({ nullable: true, description: '`closed`, `open` or `half-open`.', resolve: (s) => s.breaker }),
    errors: t.exposeFloat('errors', { description: 'Redis calls that failed or timed out.' }),
    trips: t.exposeInt('trips', { description: 'Times the circuit breaker opened.' }),
  }),
})

type StatsWithFingerprints = CacheStats & { fingerprints: (limit: number) => FingerprintStats[] }

// Cumulative counters are Float: a long-running server can pass GraphQL's 32-bit Int.
const CacheStatsRef = builder.objectRef<StatsWithFingerprints>('CacheStats').implement({
  description: 'Counters of this instance since it started, and the live size of its L1.',
  fields: (t) => ({
    instanceId: t.exposeString('instanceId'),
    l1Hits: t.float({ resolve: (s) => s.hits.L1 }),
    l2Hits: t.float({ resolve: (s) => s.hits.L2 }),
    misses: t.exposeFloat('misses'),
    hitRatio: t.exposeFloat('hitRatio', { description: 'Hits / (hits + misses).' }),
    coalesced: t.exposeFloat('coalesced', { description: 'Requests that joined an execution already running.' }),
    loads: t.exposeFloat('loads', { description: 'Executions the cache asked for.' }),
    staleHits: t.exposeFloat('staleHits'),
    evictions: t.exposeFloat('evictions', { description: 'L1 entries evicted to stay within the byte budget.' }),
    timeSavedMs: t.exposeFloat('timeSavedMs', { description: 'Sum of the original execution times of all hits.' }),
    uncacheable: t.exposeFloat('uncacheable'),
    oversized: t.exposeFloat('oversized'),
    entries: t.exposeInt('entries'),
    bytes: t.exposeFloat('bytes'),
    maxBytes: t.exposeFloat('maxBytes'),
    inFlight: t.exposeInt('inFlight'),
    l2: t.field({ type: L2StatusRef, resolve: (s) => s.l2 }),
    fingerprints: t.field({
      type: [FingerprintStatsRef],
      description: 'The most used statement shapes, busiest first.',
      args: { first: t.arg.int({ defaultValue: 20 }) },
      resolve: (r, args) => r.fingerprints(Math.min(Math.max(args.first ?? 20, 1), 1_000)),
    }),
  }),
})

const InvalidationRef = builder.objectRef<InvalidationOutcome>('CacheInvalidation').implement({
  fields: (t) => ({
    dropped: t.exposeInt('dropped', { description: 'Entries this instance dropped from memory.' }),
    generation: t.exposeInt('generation'),
    propagated: t.exposeBoolean('propagated', { description: 'Whether the other instances were told (false without Redis).' }),
  }),
})

function cacheOf(ctx: AppContext): QueryCache {
  if (!ctx.services.cache) throw new AppError('UNAVAILABLE', 'This server runs without a result cache')
  return ctx.services.cache
}

async function requireDataset(ctx: AppContext, datasetId: string): Promise<void> {
  if (!(await ctx.services.datasets.get(datasetId, ctx.viewer))) {
    throw new AppError('NOT_FOUND', `No dataset with id ${datasetId}`, { datasetId })
  }
}

builder.queryField('cacheStats', (t) =>
  t.field({
    type: CacheStatsRef,
    description: 'Hit/miss counters, size and per-statement effectiveness of this instance’s cache (admin).',
    authScopes: { admin: true },
    resolve: (_root, _args, ctx) => {
      const cache = cacheOf(ctx)
      return { ...cache.stats(), fingerprints: (limit: number) => cache.fingerprintStats(limit) }
    },
  }),
)

builder.mutationField('invalidateCache', (t) =>
  t.field({
    type: InvalidationRef,
    description: 'Makes every cached result that read the dataset unreachable, on every instance (admin).',
    authScopes: { admin: true },
    args: { datasetId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const cache = cacheOf(ctx)
      await requireDataset(ctx, String(args.datasetId))
      return cache.invalidateDataset(String(args.datasetId))
    },
  }),
)

builder.mutationField('warmCache', (t) =>
  t.int({
    description: 'Re-runs the dataset’s most frequent recent statements now; returns how many ran (admin).',
    authScopes: { admin: true },
    args: { datasetId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const warmer = ctx.services.cacheWarmer
      if (!warmer) throw new AppError('UNAVAILABLE', 'This server runs without a result cache')
      await requireDataset(ctx, String(args.datasetId))
      return warmer.warm(String(args.datasetId))
    },
  }),
)
