import { LRUCache } from 'lru-cache'
import type { GuardedStatement, GuardOptions } from './guarded-statement.ts'

export type GuardCheck = (sqlText: string, options: GuardOptions) => GuardedStatement

/** Default budget of remembered SQL text: a dashboard's statements fit many times over. */
export const DEFAULT_GUARD_MEMO_BYTES = 4 * 1024 ** 2

/**
 * Remembers accepted statements per exact text and options. The guard is pure for a given text and options,
 * and parsing costs more than an L1 cache hit, so a repeated statement skips it. Refusals are not remembered:
 * they throw, and they are not the path worth making fast. Results are frozen because every caller of one
 * text now shares them.
 */
export function memoizeGuard(check: GuardCheck, maxBytes = DEFAULT_GUARD_MEMO_BYTES): GuardCheck {
  if (maxBytes <= 0) return check
  const accepted = new LRUCache<string, GuardedStatement>({
    maxSize: maxBytes,
    // Key text dominates: the statement's own text is a slice of it, the rest is small.
    sizeCalculation: (_, key) => Math.max(1, key.length * 2),
  })
  return (sqlText, options) => {
    const key = `${options.params}|${options.admin ? 1 : 0}|${options.embedded ? 1 : 0}|${options.maxResultRows}|${sqlText}`
    const known = accepted.get(key)
    if (known) return known
    const statement = deepFreeze(check(sqlText, options))
    // A text larger than the whole budget is simply not remembered (lru-cache refuses it).
    accepted.set(key, statement)
    return statement
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const inner of Object.values(value)) deepFreeze(inner)
  }
  return value
}
