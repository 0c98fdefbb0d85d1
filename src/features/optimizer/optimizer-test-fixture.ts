import { openMigratedDatabase } from '../../../test/support/migrated-database.ts'
import { fingerprintSync, loadModule } from 'libpg-query'
import type { Backend } from '../../../test/support/backends.ts'
import type { Database } from '../../infra/database.ts'
import type { DatabaseRoles } from '../auth/database-roles.ts'
import type { Viewer } from '../auth/viewer.ts'
import { createWorkloadRecorder, type WorkloadRecorder } from '../sql/workload-recorder.ts'
import { qualified } from '../../infra/quote-ident.ts'

/** Test fixture: Alice's `assets` dataset (`rows` rows, ANALYZEd, catalogued) and an empty workload. */
export interface OptimizerFixture {
  database: Database
  roles: DatabaseRoles
  workload: WorkloadRecorder
  datasetId: string
  schema: string
  alice: Viewer
  admin: Viewer
  /** Records `calls` executions of a statement as Alice, as the executor would. */
  record(sqlText: string, calls: number, durationMs?: number): void
  stop(): Promise<void>
}

const viewer = (id: string, role: Viewer['role']): Viewer => ({ id, name: id, role, anonymous: false })

export async function openOptimizerFixture(backend: Backend, rows: number): Promise<OptimizerFixture> {
  await loadModule()
  const opened = await openMigratedDatabase(backend, { poolSize: 3 })
  const { database, roles, logger } = opened
  const alice = viewer('alice', 'ANALYST')
  const admin = viewer('root', 'ADMIN')
  await roles.ensureOwner(alice.id)
  const schema = roles.ownerSchema(alice.id)
  const datasetId = 'd-assets'
  await database.transaction(async (session) => {
    const table = qualified(schema, 'assets')
    // 200 manufacturers, 50 categories, ~3 years of dates: selective filters next to a full-table aggregate.
    await session.query(`CREATE TABLE ${table} (_row bigint PRIMARY KEY, manufacturer text, category text, name text, cost numeric, bought date)`)
    await session.query(`INSERT INTO ${table} SELECT g, 'M' || (g % 200), 'c' || (g % 50), 'item ' || g, (g % 1000) * 1.5,
      DATE '2022-01-01' + (g % 1000) FROM generate_series(1, ${rows}) g`)
    await session.query(`ANALYZE ${table}`)
    await roles.grantTable(session.db, schema, 'assets', alice.id)
    await session.query(`INSERT INTO phers.datasets (id, owner_id, name, table_name, schema_name, row_count) VALUES ($1, $2, 'assets', 'assets', $3, $4)`,
      [datasetId, alice.id, schema, rows])
  })
  const workload = createWorkloadRecorder({ db: database.db, logger, flushIntervalMs: 60_000 })
  return {
    database, roles, workload, datasetId, schema, alice, admin,
    record(sqlText, calls, durationMs = 50) {
      for (let i = 0; i < calls; i += 1) {
        workload.record({ fingerprint: fingerprintSync(sqlText), scope: alice.id, sql: sqlText, params: [], datasetIds: [datasetId], durationMs, rows: 1, errorCode: null })
      }
    },
    async stop() {
      await workload.stop()
      await opened.stop()
    },
  }
}
