import { createHash } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { Visibility } from '../datasets/dataset-types.ts'
import type { Viewer } from './viewer.ts'
import { roleAtLeast } from './viewer.ts'

/** Where datasets live: one schema per owner for private tables, one shared schema. */
export interface DatasetPlacement {
  schema: string
  /** `search_path` for user SQL: the viewer's own schema first, then the shared one. */
  searchPath: string[]
}

export interface DatabaseRoles {
  /** Shared schema and the admin/shared reader roles; run once at start-up (idempotent). */
  ensureBase(): Promise<void>
  /** Creates the owner's schema and reader role; call before a transaction that creates tables there. */
  ensureOwner(ownerId: string): Promise<void>
  /** Schema of an owner's private datasets. */
  ownerSchema(ownerId: string): string
  sharedSchema: string
  schemaFor(ownerId: string, visibility: Visibility): string
  /** The NOLOGIN role user SQL runs as for this viewer, and its search path (owner schema created on use). */
  readerFor(viewer: Viewer): Promise<{ role: string; searchPath: string[] }>
  /** Grants read access on a freshly created dataset table; run inside the ingest transaction. */
  grantTable(db: Kysely<any>, schema: string, tableName: string, ownerId: string): Promise<void>
  /** All role names of this deployment (for teardown in tests). */
  listRoles(): Promise<string[]>
}

const DUPLICATE = new Set(['42710', '23505', '42P06'])
const digest = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length)

async function ignoreDuplicate(run: () => Promise<unknown>): Promise<void> {
  try {
    await run()
  } catch (error) {
    if (!DUPLICATE.has((error as { code?: string }).code ?? '')) throw error
  }
}

/**
 * Tenancy enforced by the database itself: user SQL runs under `SET LOCAL ROLE <reader>`, and a reader role
 * holds SELECT only on the tables it may see, so even a guard miss cannot write or read another owner's rows.
 * Each owner's private tables live in a schema of their own so names never collide across owners and no
 * owner learns which names others use. Role names derive from the database name: roles are cluster-wide.
 */
export function createDatabaseRoles({ db, databaseName }: { db: Kysely<any>; databaseName: string }): DatabaseRoles {
  const prefix = `phers_${digest(databaseName, 8)}`
  const adminRole = `${prefix}_admin`
  const sharedRole = `${prefix}_shared`
  const sharedSchema = 'ds_shared'
  const ownerRole = (ownerId: string) => `${prefix}_o_${digest(ownerId, 16)}`
  const ownerSchema = (ownerId: string) => `ds_${digest(ownerId, 16)}`
  const ready = new Set<string>()

  async function ensureSchema(schema: string, readers: string[]): Promise<void> {
    await ignoreDuplicate(() => sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(db))
    await sql`REVOKE ALL ON SCHEMA ${sql.id(schema)} FROM PUBLIC`.execute(db)
    for (const reader of readers) await sql`GRANT USAGE ON SCHEMA ${sql.id(schema)} TO ${sql.id(reader)}`.execute(db)
  }

  async function ensureRole(name: string, memberOf: string | null): Promise<void> {
    await ignoreDuplicate(() => sql`CREATE ROLE ${sql.id(name)} NOLOGIN`.execute(db))
    if (memberOf) await sql`GRANT ${sql.id(memberOf)} TO ${sql.id(name)}`.execute(db)
    // `SET ROLE` needs membership; a superuser has it implicitly, a CREATEROLE login (the recommended set-up)
    // does not on PostgreSQL 15, where the creator of a role is not made a member.
    await ignoreDuplicate(() => sql`GRANT ${sql.id(name)} TO CURRENT_USER`.execute(db))
  }

  async function ensureOwner(ownerId: string): Promise<void> {
    if (ready.has(ownerId)) return
    await ensureRole(ownerRole(ownerId), sharedRole)
    await ensureSchema(ownerSchema(ownerId), [ownerRole(ownerId), adminRole])
    ready.add(ownerId)
  }

  return {
    sharedSchema,
    ownerSchema,
    ensureOwner,
    schemaFor: (ownerId, visibility) => (visibility === 'SHARED' ? sharedSchema : ownerSchema(ownerId)),
    async ensureBase() {
      await ensureRole(sharedRole, null)
      await ensureRole(adminRole, null)
      await ensureSchema(sharedSchema, [sharedRole, adminRole])
    },
    async readerFor(viewer) {
      await ensureOwner(viewer.id)
      const role = roleAtLeast(viewer, 'ADMIN') ? adminRole : ownerRole(viewer.id)
      return { role, searchPath: [ownerSchema(viewer.id), sharedSchema] }
    },
    async grantTable(tx, schema, tableName, ownerId) {
      const table = sql.table(`${schema}.${tableName}`)
      await sql`REVOKE ALL ON ${table} FROM PUBLIC`.execute(tx)
      const readers = [adminRole, ownerRole(ownerId), ...(schema === sharedSchema ? [sharedRole] : [])]
      await sql`GRANT SELECT ON ${table} TO ${sql.join(readers.map((r) => sql.id(r)))}`.execute(tx)
    },
    async listRoles() {
      const rows = await sql<{ rolname: string }>`SELECT rolname FROM pg_roles WHERE starts_with(rolname, ${`${prefix}_`})`.execute(db)
      return rows.rows.map((r) => r.rolname)
    },
  }
}
