import { createHash } from 'node:crypto'
import type { ResultCacheKey } from '../sql/sql-types.ts'
import { canonicalJson } from './canonical-json.ts'

/**
 * The executor's key parts plus an optional statement shape (see `statementShape`): libpg-query's fingerprint
 * ignores column aliases and the order of the select list, so a shape hash keeps `SELECT a, b` and
 * `SELECT b, a` apart.
 */
export type CacheKeyInput = ResultCacheKey & { shape?: string }

/** Generation name every key includes: bumping it makes the whole cache unreachable on every instance at once. */
export const GLOBAL_GENERATION = '*'

/** Bumped when the key layout or the stored entry format changes, so old entries are never misread. */
export const CACHE_KEY_VERSION = 1

/**
 * Pure: the cache id for one execution. `generations` holds each dataset's invalidation generation (bumped by
 * `invalidateCache`) and the global generation (bumped by `clear`), so an admin invalidation makes entries
 * unreachable the same way a new version does.
 * Dataset order does not matter; constant and parameter order does.
 */
export function buildCacheKey(key: CacheKeyInput, generations: ReadonlyMap<string, number>): string {
  const datasets = [...key.datasets]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.version - b.version))
    .map((d) => [d.id, d.version, generations.get(d.id) ?? 0])
  const parts = {
    v: CACHE_KEY_VERSION,
    fingerprint: key.fingerprint,
    shape: key.shape ?? null,
    constants: key.constants,
    params: key.params,
    page: { first: key.page.first, after: key.page.after },
    datasets,
    scope: key.scope,
    epoch: generations.get(GLOBAL_GENERATION) ?? 0,
  }
  return createHash('sha256').update(canonicalJson(parts)).digest('base64url')
}
