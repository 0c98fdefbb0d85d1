import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { CacheLoad } from '../sql/sql-types.ts'
import type { CacheEntry } from './cache-entry.ts'
import { buildCacheKey, GLOBAL_GENERATION, type CacheKeyInput } from './cache-key.ts'
import { resolveCacheLimits } from './cache-limits.ts'
import { createCacheStatsRecorder, type CacheLevel } from './cache-stats.ts'
import { createCircuitBreaker } from './circuit-breaker.ts'
import { createDatasetGenerations } from './dataset-generations.ts'
import { decodeFromL2, encodeForL2 } from './entry-codec.ts'
import { createInvalidationChannel, type InvalidationMessage } from './invalidation-channel.ts'
import { createL1Store } from './l1-store.ts'
import { createL2Store, UNAVAILABLE } from './l2-store.ts'
import { prepareEntry, type PreparedEntry } from './prepare-entry.ts'
import { createSingleFlight } from './single-flight.ts'
import type { CreateCacheOptions, InvalidationOutcome, Lookup, QueryCache } from './query-cache.ts'
import { createTtlPolicy, type Clock } from './ttl-policy.ts'

const systemClock: Clock = { now: () => Date.now() }

export function createCache(options: CreateCacheOptions): QueryCache {
  const { redis, subscriber, logger, prefix, instanceId } = options
  const clock = options.clock ?? systemClock
  const limits = resolveCacheLimits(options.limits)
  const stats = createCacheStatsRecorder({ maxFingerprints: limits.maxTrackedFingerprints })
  const l1 = createL1Store({ maxBytes: limits.l1Bytes, onEvict: stats.eviction })
  const breaker = createCircuitBreaker({
    failureThreshold: limits.breakerFailures,
    resetMs: limits.breakerResetMs,
    clock,
    onChange: (state) => logger[state === 'open' ? 'warn' : 'info']({ state }, 'cache L2 circuit breaker changed'),
  })
  // Twice the longest entry lifetime: no entry of a generation outlives its key.
  const generationTtlMs = 2 * (limits.ttlMaxMs + limits.staleWhileRevalidateMs)
  const l2 = redis ? createL2Store({ redis, prefix, timeoutMs: limits.l2TimeoutMs, breaker, logger, generationTtlMs }) : null
  const generations = createDatasetGenerations({ l2 })
  const ttl = createTtlPolicy({ limits, clock, random: options.random })
  const flight = createSingleFlight<Lookup>()
  const pendingWrites = new Set<Promise<unknown>>()
  const listeners = new Set<(datasetId: string | null) => void>()
  const notify = (name: string) => {
    for (const listener of listeners) {
      try {
        listener(name === GLOBAL_GENERATION ? null : name)
      } catch (err) {
        logger.warn({ err }, 'cache invalidation listener failed')
      }
    }
  }

  const onMessage = (message: InvalidationMessage) => {
    generations.apply(message.name, message.generation)
    notify(message.name)
    if (message.name === GLOBAL_GENERATION) return l1.clear()
    l1.dropDataset(message.name)
    ttl.recordChange(message.name)
  }
  if (l2 && !subscriber) logger.warn('cache has Redis but no subscriber: other instances keep invalidated L1 entries until they expire')
  const channel =
    l2 && subscriber
      ? createInvalidationChannel({
          l2,
          subscriber,
          channel: `${prefix}:cache:invalidate`,
          instanceId,
          logger,
          onMessage,
          // Messages may have been lost in the gap: listeners drop everything they derived from the catalog.
          onResync: async () => {
            await generations.resync()
            notify(GLOBAL_GENERATION)
          },
        })
      : null

  /** A hit, or null when the entry is past even its stale window. Stale hits start one background refresh. */
  const serve = (id: string, entry: CacheEntry, level: CacheLevel, key: CacheKeyInput, load: () => Promise<CacheLoad>): Lookup | null => {
    const now = clock.now()
    if (now >= entry.expiresAt) return null
    const stale = now >= entry.freshUntil
    if (stale && !flight.has(id)) {
      flight.run(id, () => loadAndStore(id, key, load, null)).catch((err: unknown) => logger.warn({ err }, 'cache refresh failed'))
    }
    stats.hit(level, entry.fingerprint, entry.result.durationMs, stale)
    return { result: { ...entry.result, cached: true, cacheLevel: level }, level }
  }

  const readL2 = async (id: string, key: CacheKeyInput, load: () => Promise<CacheLoad>, value: Buffer) => {
    const decoded = await decodeFromL2(value)
    const served = decoded && serve(id, decoded.entry, 'L2', key, load)
    if (decoded && served) l1.set(id, decoded.entry, decoded.bytes)
    return served
  }

  const release = (id: string, token: string | null) => {
    if (l2 && token) track(l2.unlock(id, token))
  }
  const track = (work: Promise<unknown>) => {
    pendingWrites.add(work)
    void work.finally(() => pendingWrites.delete(work))
  }

  /** The entry to keep for a load, or null when it must not be cached (uncacheable, oversized, unserializable). */
  const prepare = (key: CacheKeyInput, loaded: CacheLoad): PreparedEntry | null => {
    try {
      const prepared = prepareEntry({
        key,
        loaded,
        now: clock.now(),
        freshMs: ttl.ttlFor(key.datasets.map((d) => d.id)),
        staleMs: limits.staleWhileRevalidateMs,
        maxEntryBytes: limits.maxEntryBytes,
      })
      if (prepared === 'uncacheable') stats.uncacheable()
      if (prepared === 'oversized') stats.oversized()
      return typeof prepared === 'string' ? null : prepared
    } catch (err) {
      // A value v8 cannot serialize is simply not cached; the caller still gets its result.
      logger.warn({ err, fingerprint: key.fingerprint }, 'cache could not serialize a result')
      return null
    }
  }

  // The caller does not wait for Redis; peers polling the lock see the value before the lock goes away.
  const writeL2 = async (id: string, serialized: Buffer, lifetime: number, token: string | null) => {
    try {
      await l2!.set(id, await encodeForL2(serialized, limits.compressAboveBytes), lifetime)
    } finally {
      if (token) await l2!.unlock(id, token)
    }
  }

  const loadAndStore = async (id: string, key: CacheKeyInput, load: () => Promise<CacheLoad>, token: string | null): Promise<Lookup> => {
    stats.load()
    let loaded: CacheLoad
    try {
      loaded = await load()
    } catch (error) {
      release(id, token)
      throw error
    }
    const prepared = prepare(key, loaded)
    if (prepared) l1.set(id, prepared.entry, prepared.serialized.length)
    if (prepared && l2) {
      track(writeL2(id, prepared.serialized, prepared.lifetimeMs, token).catch((err: unknown) => logger.warn({ err }, 'cache L2 write failed')))
    } else {
      release(id, token)
    }
    return { result: { ...loaded.result, cached: false, cacheLevel: null }, level: null }
  }

  /** Another instance holds the fill lock: poll L2 until its value lands or the lock disappears. */
  const waitForPeer = async (id: string, key: CacheKeyInput, load: () => Promise<CacheLoad>): Promise<Lookup | null> => {
    const polls = Math.ceil(limits.lockMs / limits.lockPollMs)
    for (let i = 0; i < polls; i += 1) {
      await sleep(limits.lockPollMs)
      const polled = await l2!.poll(id)
      if (polled === UNAVAILABLE) return null
      if (polled.value) return readL2(id, key, load, polled.value)
      if (!polled.locked) return null
    }
    return null
  }

  const missAcrossInstances = async (id: string, key: CacheKeyInput, load: () => Promise<CacheLoad>): Promise<Lookup> => {
    const value = l2 ? await l2.get(id) : UNAVAILABLE
    if (value !== UNAVAILABLE && value !== null) {
      const hit = await readL2(id, key, load, value)
      if (hit) return hit
    }
    stats.miss(key.fingerprint)
    if (!l2 || value === UNAVAILABLE) return loadAndStore(id, key, load, null)
    const token = `${instanceId}:${randomUUID()}`
    const locked = await l2.lock(id, token, limits.lockMs)
    if (locked === true) return loadAndStore(id, key, load, token)
    if (locked === UNAVAILABLE) {
      // The SET may still land after our timeout; clear it so peers do not wait on a lock nobody fills.
      release(id, token)
      return loadAndStore(id, key, load, null)
    }
    stats.coalesced()
    return (await waitForPeer(id, key, load)) ?? loadAndStore(id, key, load, null)
  }

  const invalidate = async (name: string): Promise<InvalidationOutcome> => {
    const { generation, shared } = await generations.bump(name)
    const dropped = name === GLOBAL_GENERATION ? clearL1() : l1.dropDataset(name)
    if (name !== GLOBAL_GENERATION) ttl.recordChange(name)
    notify(name)
    const propagated = shared && channel ? await channel.publish(name, generation) : false
    return { dropped, generation, propagated }
  }
  const clearL1 = () => {
    const entries = l1.entries()
    l1.clear()
    return entries
  }

  return {
    async getOrLoad(key, load) {
      const id = buildCacheKey(key, await generations.current(key.datasets.map((d) => d.id)))
      const local = l1.get(id)
      const hit = local && serve(id, local, 'L1', key, load)
      if (hit) return hit
      if (local) l1.delete(id)
      const joining = flight.has(id)
      try {
        const { value, joined } = await flight.run(id, () => missAcrossInstances(id, key, load))
        if (joined) stats.coalesced()
        return value
      } catch (error) {
        // A shared execution runs with its starter's abort signal: when that client went away, the callers
        // who joined still deserve an answer. One retry (itself shared) bounds the cost of a query that fails.
        if (!joining) throw error
        return (await flight.run(id, () => missAcrossInstances(id, key, load))).value
      }
    },
    invalidateDataset: invalidate,
    datasetChanged: invalidate,
    async clear(level) {
      if (level === 'L1') return void clearL1()
      await invalidate(GLOBAL_GENERATION)
    },
    async writesSettled() {
      await Promise.allSettled([...pendingWrites])
    },
    onInvalidation(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    stats: () => ({
      ...stats.counters(),
      instanceId,
      entries: l1.entries(),
      bytes: l1.bytes(),
      maxBytes: l1.maxBytes,
      inFlight: flight.size(),
      l2: { enabled: l2 !== null, breaker: l2 ? breaker.state() : null, errors: l2?.errors() ?? 0, trips: breaker.trips() },
    }),
    fingerprintStats: (limit = 50) => stats.fingerprints(limit),
    async stop() {
      listeners.clear()
      await channel?.stop()
      await Promise.allSettled([...pendingWrites])
      l1.clear()
    },
  }
}
