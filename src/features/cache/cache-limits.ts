/** Tuning of the two-level cache; every field is optional in `createCache` and defaults as documented. */
export interface CacheLimits {
  /** L1 byte budget, measured as the serialized size of the entries. Default 64 MB; 0 disables L1. */
  l1Bytes: number
  /** Results whose serialized size exceeds this are not cached at any level. Default 4 MB. */
  maxEntryBytes: number
  /** Values at least this large are gzip-compressed in L2 (small ones are not worth the CPU). Default 16 KB. */
  compressAboveBytes: number
  /** Longest any request waits on Redis before carrying on without it. Default 50 ms. */
  l2TimeoutMs: number
  /** Consecutive L2 failures that open the circuit breaker. Default 3. */
  breakerFailures: number
  /** How long the open breaker skips Redis before one probe request is let through. Default 2 s. */
  breakerResetMs: number
  /** Shortest entry lifetime, used for datasets that change often. Default 30 s. */
  ttlMinMs: number
  /** Longest entry lifetime, used for datasets that have not changed recently. Default 1 h. */
  ttlMaxMs: number
  /** How far back dataset changes count towards volatility. Default 24 h. */
  volatilityWindowMs: number
  /** Relative random spread of each TTL (0.1 = ±10 %), so entries filled together do not expire together. */
  ttlJitter: number
  /**
   * Lifetime of the cross-instance fill lock; waiters poll at most this long. Default 5 s; set it to the
   * statement timeout, since no load outlives that.
   */
  lockMs: number
  /** Interval between a waiter's polls of L2 while another instance fills the key. Default 20 ms. */
  lockPollMs: number
  /** After expiry an entry may still be served this long while one background load refreshes it. Default 0 (off). */
  staleWhileRevalidateMs: number
  /** Fingerprints tracked for `fingerprintStats` (least recently seen dropped first). Default 1000. */
  maxTrackedFingerprints: number
}

export const DEFAULT_CACHE_LIMITS: Readonly<CacheLimits> = Object.freeze({
  l1Bytes: 64 * 1024 ** 2,
  maxEntryBytes: 4 * 1024 ** 2,
  compressAboveBytes: 16 * 1024,
  l2TimeoutMs: 50,
  breakerFailures: 3,
  breakerResetMs: 2_000,
  ttlMinMs: 30_000,
  ttlMaxMs: 3_600_000,
  volatilityWindowMs: 24 * 3_600_000,
  ttlJitter: 0.1,
  lockMs: 5_000,
  lockPollMs: 20,
  staleWhileRevalidateMs: 0,
  maxTrackedFingerprints: 1_000,
})

export function resolveCacheLimits(partial: Partial<CacheLimits> = {}): CacheLimits {
  const limits = { ...DEFAULT_CACHE_LIMITS, ...definedOnly(partial) }
  if (limits.ttlMinMs > limits.ttlMaxMs) throw new RangeError('cache ttlMinMs must not exceed ttlMaxMs')
  if (limits.ttlJitter < 0 || limits.ttlJitter >= 1) throw new RangeError('cache ttlJitter must be in [0, 1)')
  return limits
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
