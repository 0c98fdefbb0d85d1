import { openMigratedDatabase } from '../../../test/support/migrated-database.ts'
import { sql } from 'kysely'
import type { Backend } from '../../../test/support/backends.ts'
import type { Database } from '../../infra/database.ts'
import type { DatabaseRoles } from '../auth/database-roles.ts'
import type { Viewer } from '../auth/viewer.ts'
import type { ResolveRelations, VisibleDataset } from './relation-matcher.ts'

/**
 * Test fixture: two owners side by side. Alice (a viewer) owns `assets`; Bob owns `secret_plans` and his own,
 * different `assets`; `rates` is shared. Everything the executor tests check for leaks is named here.
 */
export interface SqlFixture {
  database: Database
  roles: DatabaseRoles
  alice: Viewer
  bob: Viewer
  admin: Viewer
  bobSchema: string
  /** Names of Bob's objects that must never appear in anything Alice sees. */
  bobSecrets: string[]
  resolveRelations: ResolveRelations
  /** Row counts of every fixture table, read as the database owner. */
  counts(): Promise<Record<string, number>>
  stop(): Promise<void>
}

const viewer = (id: string, role: Viewer['role']): Viewer => ({ id, name: id, role, anonymous: false })

export async function createSqlFixture(backend: Backend): Promise<SqlFixture> {
  // Two connections: one for user SQL, one for pg_cancel_backend. pg's pool hands out the most recently released
  // client, so a check right after a statement runs on the connection that statement used.
  const opened = await openMigratedDatabase(backend, { poolSize: 2 })
  const { database, roles } = opened
  const alice = viewer('alice', 'VIEWER')
  const bob = viewer('bob', 'VIEWER')
  const admin = viewer('root', 'ADMIN')
  for (const v of [alice, bob, admin]) await roles.ensureOwner(v.id)
  const catalog: (VisibleDataset & { ownerId: string })[] = [
    { id: 'd-alice-assets', tableName: 'assets', schema: roles.ownerSchema('alice'), version: 3, ownerId: 'alice' },
    { id: 'd-bob-assets', tableName: 'assets', schema: roles.ownerSchema('bob'), version: 1, ownerId: 'bob' },
    { id: 'd-bob-secret', tableName: 'secret_plans', schema: roles.ownerSchema('bob'), version: 1, ownerId: 'bob' },
    { id: 'd-rates', tableName: 'rates', schema: roles.sharedSchema, version: 2, ownerId: 'bob' },
  ]
  await database.transaction(async (session) => {
    const a = `"${roles.ownerSchema('alice')}"`
    const b = `"${roles.ownerSchema('bob')}"`
    await session.query(`CREATE TABLE ${a}.assets (id int, name text, cost numeric(14, 2), big bigint, bought date,
      seen timestamptz, ok boolean, meta jsonb, score float8)`)
    await session.query(`INSERT INTO ${a}.assets VALUES
      (1, 'laptop', 1234.50, 9007199254740993, '2024-01-31', '2024-02-01 10:00:00.123456+00', true, '{"k": [1]}', 0.1),
      (2, 'monitor', 99.99, 1, '2024-03-01', '2024-03-02 00:00:00+00', false, null, 2.5),
      (3, 'phone', 700.00, 2, '2024-04-01', null, true, '[]', null),
      (4, 'desk', 300.00, 3, '2024-05-01', null, null, null, null),
      (5, 'chair', 150.00, 4, '2024-06-01', null, null, null, null)`)
    await session.query(`CREATE TABLE ${b}.assets (id int, name text)`)
    await session.query(`INSERT INTO ${b}.assets VALUES (100, 'bob-only-asset')`)
    await session.query(`CREATE TABLE ${b}.secret_plans (codename text, budget numeric)`)
    await session.query(`INSERT INTO ${b}.secret_plans VALUES ('nightjar', 1e9)`)
    await session.query(`CREATE TABLE "${roles.sharedSchema}".rates (currency text, rate numeric)`)
    await session.query(`INSERT INTO "${roles.sharedSchema}".rates VALUES ('EUR', 1.1), ('GBP', 1.3)`)
    for (const d of catalog) await roles.grantTable(session.db, d.schema, d.tableName, d.ownerId)
  })
  const bobSchema = roles.ownerSchema('bob')
  return {
    database,
    roles,
    alice,
    bob,
    admin,
    bobSchema,
    bobSecrets: ['secret_plans', 'nightjar', 'codename', 'bob-only-asset', bobSchema],
    resolveRelations: async (who, names) =>
      catalog.filter((d) => names.includes(d.tableName) && (who.role === 'ADMIN' || d.ownerId === who.id || d.schema === roles.sharedSchema)),
    async counts() {
      const out: Record<string, number> = {}
      for (const d of catalog) {
        const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(`${d.schema}.${d.tableName}`)}`.execute(database.db)
        out[d.id] = Number(result.rows[0]!.n)
      }
      return out
    },
    async stop() {
      await opened.stop()
    },
  }
}
