import type { Kysely } from 'kysely'
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

/** A marker shared by every instance that changes with each catalog change (`createChangeMarker` over Redis). */
export interface SharedChangeMarker {
  /** null when it cannot be read: the catalog is read instead. */
  read(): Promise<string | null>
  /** Resolves once every later request on any instance will read the new marker. */
  bump(): Promise<void>
}

export interface CatalogSnapshotDeps {
  db: Kysely<any>
  /** Shared across instances; without it only this instance changes datasets. */
  shared: SharedChangeMarker | null
}

/**
 * Every `sql` request must know the current version of each dataset it reads (the cache key holds it), and
 * reading the catalog per request costs more than an L1 cache hit. So the catalog is kept in memory and
 * checked against change markers: a local counter, and with Redis a shared marker that every instance moves
 * after a change commits. When the shared marker cannot be read, the catalog is read instead: never stale.
 */
export function createCatalogSnapshot({ db, shared }: CatalogSnapshotDeps): CatalogSnapshot {
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

  async function current(): Promise<Map<string, CatalogRow[]>> {
    const remote = shared ? await shared.read() : ''
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
      await shared?.bump()
    },
  }
}
