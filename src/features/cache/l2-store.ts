import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { CircuitBreaker } from './circuit-breaker.ts'

/** Returned instead of a value when Redis is down, slow or behind an open breaker: the caller goes on without it. */
export const UNAVAILABLE = Symbol('L2 unavailable')
export type Maybe<T> = T | typeof UNAVAILABLE

/** Redis level. Every call is bounded by `timeoutMs` and guarded by the breaker; none throws. */
export interface L2Store {
  get(id: string): Promise<Maybe<Buffer | null>>
  set(id: string, value: Buffer, ttlMs: number): Promise<Maybe<true>>
  /** `SET NX PX`: true when this caller now fills the key for every instance. */
  lock(id: string, token: string, ttlMs: number): Promise<Maybe<boolean>>
  /** Deletes the lock only if it still holds `token` (it may have expired and been taken by someone else). */
  unlock(id: string, token: string): Promise<Maybe<true>>
  /** The value if it arrived, and whether a filler still holds the lock. */
  poll(id: string): Promise<Maybe<{ value: Buffer | null; locked: boolean }>>
  generations(names: readonly string[]): Promise<Maybe<number[]>>
  /**
   * Moves a generation past both its Redis value and `atLeast` (what this instance already uses): after Redis
   * restarts empty, INCR alone would restart at 1 and the bump would leave keys unchanged.
   */
  bumpGeneration(name: string, atLeast: number): Promise<Maybe<number>>
  publish(channel: string, message: string): Promise<Maybe<true>>
  /** Calls that failed, timed out or were skipped because the client was not connected. */
  errors(): number
}

const UNLOCK_SCRIPT = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
const BUMP_SCRIPT = `
local generation = redis.call('incr', KEYS[1])
local floor = tonumber(ARGV[1])
if generation <= floor then
  generation = floor + 1
  redis.call('set', KEYS[1], generation)
end
redis.call('pexpire', KEYS[1], ARGV[2])
return generation`

export function createL2Store(deps: {
  redis: Redis
  prefix: string
  timeoutMs: number
  breaker: CircuitBreaker
  logger: Logger
  /**
   * Lifetime of a generation key, renewed on every bump. Once every entry of older generations has expired, a
   * generation may safely restart at 0, so deleted datasets do not leave keys behind forever.
   */
  generationTtlMs: number
}): L2Store {
  const { redis, prefix, timeoutMs, breaker, logger, generationTtlMs } = deps
  const valueKey = (id: string) => `${prefix}:cache:v:${id}`
  const lockKey = (id: string) => `${prefix}:cache:lock:${id}`
  const generationKey = (name: string) => `${prefix}:cache:gen:${name}`
  let errorCount = 0

  const call = async <T>(operation: string, fn: () => Promise<T>): Promise<Maybe<T>> => {
    // A client that is (re)connecting would queue or reject the command: skip it at once. This costs no time,
    // so it does not feed the breaker, which exists for a Redis that is connected but slow or failing.
    if (redis.status !== 'ready') {
      errorCount += 1
      return UNAVAILABLE
    }
    if (!breaker.allow()) return UNAVAILABLE
    try {
      const value = await withTimeout(fn(), timeoutMs)
      breaker.success()
      return value
    } catch (error) {
      return failed(operation, error)
    }
  }
  const failed = (operation: string, error: unknown): typeof UNAVAILABLE => {
    errorCount += 1
    breaker.failure()
    logger.debug({ err: error, operation }, 'cache L2 call failed')
    return UNAVAILABLE
  }

  return {
    get: (id) => call('get', () => redis.getBuffer(valueKey(id))),
    set: (id, value, ttlMs) =>
      call('set', async () => {
        await redis.set(valueKey(id), value, 'PX', Math.max(1, Math.round(ttlMs)))
        return true as const
      }),
    lock: (id, token, ttlMs) =>
      call('lock', async () => (await redis.set(lockKey(id), token, 'PX', ttlMs, 'NX')) === 'OK'),
    unlock: (id, token) =>
      call('unlock', async () => {
        await redis.eval(UNLOCK_SCRIPT, 1, lockKey(id), token)
        return true as const
      }),
    poll: (id) =>
      call('poll', async () => {
        const replies = await redis.multi().getBuffer(valueKey(id)).exists(lockKey(id)).exec()
        if (!replies) throw new Error('poll transaction aborted')
        const [[valueError, value], [lockError, locked]] = replies as [[Error | null, Buffer | null], [Error | null, number]]
        if (valueError || lockError) throw valueError ?? lockError
        return { value, locked: locked === 1 }
      }),
    generations: (names) =>
      call('generations', async () => {
        if (names.length === 0) return []
        const values = await redis.mget(names.map(generationKey))
        return values.map((v) => (v === null ? 0 : Number(v)))
      }),
    bumpGeneration: (name, atLeast) =>
      call('bumpGeneration', async () => Number(await redis.eval(BUMP_SCRIPT, 1, generationKey(name), atLeast, generationTtlMs))),
    publish: (channel, message) =>
      call('publish', async () => {
        await redis.publish(channel, message)
        return true as const
      }),
    errors: () => errorCount,
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`redis call exceeded ${ms} ms`)), ms)
  })
  // The losing promise may still reject later; that rejection is expected and must not go unhandled.
  promise.catch(() => undefined)
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
