import { sql, type Kysely } from 'kysely'

export interface TypeNames {
  /** Loads the catalog's type names once; call outside a user transaction (PGlite has a single session). */
  ready(): Promise<void>
  /** Type name for an oid, e.g. `int8`, `numeric`, `_text`; `unknown` for a type created after loading. */
  nameOf(oid: number): string
}

/** Result columns carry type oids; names come from pg_type, read once per process (types are stable). */
export function createTypeNames({ db }: { db: Kysely<any> }): TypeNames {
  const names = new Map<number, string>()
  let loading: Promise<void> | null = null

  async function load(): Promise<void> {
    const result = await sql<{ oid: number; typname: string }>`SELECT oid::int AS oid, typname FROM pg_catalog.pg_type`.execute(db)
    for (const row of result.rows) names.set(Number(row.oid), row.typname)
  }

  return {
    ready() {
      loading ??= load().catch((error: unknown) => {
        loading = null
        throw error
      })
      return loading
    },
    nameOf: (oid) => names.get(oid) ?? 'unknown',
  }
}
