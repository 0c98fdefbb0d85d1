import { createHash } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { Visibility } from '../datasets/dataset-types.ts'
import type { Viewer } from './viewer.ts'
import { roleAtLeast } from './viewer.ts'

/** The PostgreSQL schema that holds one table per dataset. */
export const DATASETS_SCHEMA = 'datasets'

export interface DatabaseRoles {
  /** Roles that exist for every deployment: the admin reader and the shared reader. */
  ensureBaseRoles(): Promise<void>
  /** The NOLOGIN role user SQL runs as for this viewer (created on first use). */
  roleFor(viewer: Viewer): Promise<string>
  /** Creates the owner's reader role; call before a transaction that grants to it. */
  ensureOwnerRole(ownerId: string): Promise<string>
  /** Grants read access on a freshly created dataset table; run inside the ingest transaction. */
  grantTable(db: Kysely<any>, tableName: string, ownerId: string, visibility: Visibility): Promise<void>
  setVisibility(db: Kysely<any>, tableName: string, visibility: Visibility): Promise<void>
  /** All role names of this deployment (for teardown in tests). */
  listRoles(): Promise<string[]>
}

const DUPLICATE = new Set(['42710', '23505'])

/**
 * Tenancy enforced by the database itself: user SQL runs under `SET LOCAL ROLE <reader>`, and a reader role
 * holds SELECT only on the tables it may see, so even a guard miss cannot write or read another owner's rows.
 * Role names derive from the database name because roles are cluster-wide and several databases may share it.
 */
export function createDatabaseRoles({ db, databaseName }: { db: Kysely<any>; databaseName: string }): DatabaseRoles {
  const tag = createHash('sha256').update(databaseName).digest('hex').slice(0, 8)
  const prefix = `phers_${tag}`
  const adminRole = `${prefix}_admin`
  const sharedRole = `${prefix}_shared`
  const known = new Set<string>()
  const ownerRole = (ownerId: string) => `${prefix}_o_${createHash('sha256').update(ownerId).digest('hex').slice(0, 16)}`

  async function createRole(name: string, memberOf: string | null): Promise<void> {
    if (known.has(name)) return
    try {
      await sql`CREATE ROLE ${sql.id(name)} NOLOGIN`.execute(db)
    } catch (error) {
      if (!DUPLICATE.has((error as { code?: string }).code ?? '')) throw error
    }
    await sql`GRANT USAGE ON SCHEMA ${sql.id(DATASETS_SCHEMA)} TO ${sql.id(name)}`.execute(db)
    if (memberOf) await sql`GRANT ${sql.id(memberOf)} TO ${sql.id(name)}`.execute(db)
    known.add(name)
  }

  return {
    async ensureBaseRoles() {
      await createRole(sharedRole, null)
      await createRole(adminRole, null)
    },
    async roleFor(viewer) {
      if (roleAtLeast(viewer, 'ADMIN')) return adminRole
      return this.ensureOwnerRole(viewer.id)
    },
    async ensureOwnerRole(ownerId) {
      const role = ownerRole(ownerId)
      await createRole(role, sharedRole)
      return role
    },
    async grantTable(tx, tableName, ownerId, visibility) {
      const owner = ownerRole(ownerId)
      const table = sql.table(`${DATASETS_SCHEMA}.${tableName}`)
      await sql`REVOKE ALL ON ${table} FROM PUBLIC`.execute(tx)
      await sql`GRANT SELECT ON ${table} TO ${sql.id(adminRole)}, ${sql.id(owner)}`.execute(tx)
      if (visibility === 'SHARED') await sql`GRANT SELECT ON ${table} TO ${sql.id(sharedRole)}`.execute(tx)
    },
    async setVisibility(tx, tableName, visibility) {
      const table = sql.table(`${DATASETS_SCHEMA}.${tableName}`)
      if (visibility === 'SHARED') await sql`GRANT SELECT ON ${table} TO ${sql.id(sharedRole)}`.execute(tx)
      else await sql`REVOKE SELECT ON ${table} FROM ${sql.id(sharedRole)}`.execute(tx)
    },
    async listRoles() {
      const rows = await sql<{ rolname: string }>`SELECT rolname FROM pg_roles WHERE rolname LIKE ${`${prefix}\\_%`}`.execute(db)
      return rows.rows.map((r) => r.rolname)
    },
  }
}
