import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Redis } from 'ioredis'
import type { Logger } from 'pino'

/**
 * A value in Redis that changes whenever shared state changes, so each instance can keep a copy of that state in
 * memory and know when to reload it, without asking Redis on every request.
 */
export interface ChangeMarker {
  /**
   * The current marker, or null when Redis cannot vouch for it (the caller then reads the source itself).
   * Guarantee: the value was read from Redis by a request sent less than `leaseMs` ago.
   */
  read(): Promise<string | null>
  /**
   * Call after a change commits, before telling the client: sets a new marker, then waits out the lease, so any
   * request that reaches another instance after the client heard back reads a marker set after the change.
   */
  bump(): Promise<void>
}

export interface ChangeMarkerDeps {
  redis: Pick<Redis, 'get' | 'set' | 'status'>
  key: string
  logger: Logger
  /** How long one read vouches for later requests (and how long `bump` waits). Default 50 ms. */
  leaseMs?: number
  /** Longest wait for Redis before giving up on it. Default 50 ms. */
  timeoutMs?: number
}

/**
 * Why a lease is safe: a peer answers from a read *sent* less than `leaseMs` before the request arrived; the
 * instance that changed something set the marker, then waited `leaseMs` before answering. A request that starts
 * after that answer therefore uses a read sent after the marker was set. Markers are random, never counters,
 * so a Redis that restarts empty (or evicts the key) can never bring back a value an instance saw before.
 */
export function createChangeMarker({ redis, key, logger, leaseMs = 50, timeoutMs = 50 }: ChangeMarkerDeps): ChangeMarker {
  let latest: { value: string; sentAt: number } | null = null
  let pending: { sentAt: number; promise: Promise<string | null> } | null = null

  const readOrSeed = async (): Promise<string> => {
    const value = await redis.get(key)
    if (value !== null) return value
    // First start, or Redis lost the key: every instance agrees on one fresh marker (the first SET NX wins).
    await redis.set(key, randomUUID(), 'NX')
    const seeded = await redis.get(key)
    if (seeded === null) throw new Error('change marker vanished right after it was set')
    return seeded
  }

  const fetch = (): Promise<string | null> => {
    const sentAt = performance.now()
    const promise = withTimeout(readOrSeed(), timeoutMs).then(
      (value) => {
        if (!latest || sentAt > latest.sentAt) latest = { value, sentAt }
        return value
      },
      (error: unknown) => {
        logger.debug({ err: error, key }, 'change marker unavailable')
        return null
      },
    )
    pending = { sentAt, promise }
    void promise.finally(() => {
      if (pending?.promise === promise) pending = null
    })
    return promise
  }

  return {
    async read() {
      if (redis.status !== 'ready') return null
      const now = performance.now()
      const age = latest ? now - latest.sentAt : Infinity
      if (age < leaseMs) {
        // Refresh ahead in the background, so steady traffic never waits on Redis.
        if (age >= leaseMs / 2 && !pending) void fetch()
        return latest!.value
      }
      if (pending && now - pending.sentAt < leaseMs) return pending.promise
      return fetch()
    },
    async bump() {
      try {
        await withTimeout(redis.set(key, randomUUID()), timeoutMs)
      } catch (error) {
        logger.warn({ err: error, key }, 'could not set a new change marker; other instances notice once they read the source')
      }
      // Also after a failure: a SET that timed out here may still have landed, and peers must then see it.
      await sleep(leaseMs)
    },
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`redis call exceeded ${ms} ms`)), ms)
    timer.unref()
  })
  promise.catch(() => undefined)
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
