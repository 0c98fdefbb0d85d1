import type { Kysely } from 'kysely'
import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import { roleAtLeast, type Viewer } from '../auth/viewer.ts'
import type { VisibleDataset } from '../sql/relation-matcher.ts'

interface CatalogRow extends VisibleDataset {
  ownerId: string
  shared: boolean
}

export interface CatalogSnapshot {
  /** `ResolveRelations` for the executor: visible datasets by table name, from memory while it is current. */
  resolveRelations(viewer: Viewer, names: string[]): Promise<VisibleDataset[]>
  /** Call after a dataset change commits (before answering the client), on the instance that made it. */
  changed(): Promise<void>
}

export interface CatalogSnapshotDeps {
  db: Kysely<any>
  /** Shared change counter across instances; without it only this instance changes datasets. */
  redis: Redis | null
  prefix: string
  logger: Logger
  /** Longest wait for the shared counter before falling back to reading the catalog. */
  redisTimeoutMs?: number
}

/**
 * Every `sql` request must know the current version of each dataset it reads (the cache key holds it), and
 * reading the catalog per request costs more than an L1 cache hit. So the catalog is kept in memory and
 * checked against a change counter: a local one, and with Redis a shared `INCR` counter that every instance
 * bumps after a change commits. When the counter cannot be read, the catalog is read instead: never stale.
 */
export function createCatalogSnapshot({ db, redis, prefix, logger, redisTimeoutMs = 50 }: CatalogSnapshotDeps): CatalogSnapshot {
  const counterKey = `${prefix}:catalog:version`
  let localVersion = 0
  let snapshot: { tag: string; byName: Map<string, CatalogRow[]> } | null = null
  let loading: { tag: string; promise: Promise<Map<string, CatalogRow[]>> } | null = null

  async function load(): Promise<Map<string, CatalogRow[]>> {
    const rows = await db.selectFrom('phers.datasets').select(['id', 'table_name', 'schema_name', 'version', 'owner_id', 'visibility']).execute()
    const byName = new Map<string, CatalogRow[]>()
    for (const r of rows) {
      const row = { id: r.id, tableName: r.table_name, schema: r.schema_name, version: Number(r.version), ownerId: r.owner_id, shared: r.visibility === 'SHARED' }
      byName.set(row.tableName, [...(byName.get(row.tableName) ?? []), row])
    }
    return byName
  }

  async function sharedVersion(): Promise<string | null> {
    if (!redis) return ''
    if (redis.status !== 'ready') return null
    try {
      const value = await Promise.race([
        redis.get(counterKey),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('catalog counter timed out')), redisTimeoutMs).unref()),
      ])
      return value ?? '0'
    } catch (error) {
      logger.debug({ err: error }, 'catalog counter unavailable; reading the catalog')
      return null
    }
  }

  async function current(): Promise<Map<string, CatalogRow[]>> {
    const remote = await sharedVersion()
    if (remote === null) return load()
    const tag = `${localVersion}/${remote}`
    if (snapshot?.tag === tag) return snapshot.byName
    // Tagged with the counters read before loading: a change that lands meanwhile bumps them, so the next
    // request reloads.
    if (loading?.tag !== tag) {
      const promise = load().finally(() => {
        if (loading?.promise === promise) loading = null
      })
      loading = { tag, promise }
    }
    const byName = await loading.promise
    if (`${localVersion}/${remote}` === tag) snapshot = { tag, byName }
    return byName
  }

  return {
    async resolveRelations(viewer, names) {
      const byName = await current()
      const admin = roleAtLeast(viewer, 'ADMIN')
      return names.flatMap((name) =>
        (byName.get(name) ?? [])
          .filter((row) => admin || row.ownerId === viewer.id || row.shared)
          .map(({ id, tableName, schema, version }) => ({ id, tableName, schema, version })),
      )
    },
    async changed() {
      localVersion += 1
      snapshot = null
      if (!redis) return
      try {
        await redis.incr(counterKey)
      } catch (error) {
        logger.warn({ err: error }, 'could not bump the shared catalog counter; other instances read the catalog until Redis is back')
      }
    },
  }
}
