import { sql } from 'kysely'
import { AppError } from '../../errors.ts'
import type { DbSession } from '../../infra/database.ts'
import type { Viewer } from '../auth/viewer.ts'
import { claimUnique } from './column-names.ts'
import { assertCanModify, canSee } from './dataset-access.ts'
import { findDataset, takenTableNames, toDatasetRecord, type DatasetRecord } from './dataset-catalog.ts'
import type { DatasetServiceDeps } from './dataset-service-deps.ts'
import type { Visibility } from './dataset-types.ts'

/**
 * Moves the dataset's table between the owner's schema and the shared one (renaming it if another owner's
 * table already has its name there) and re-grants from scratch, so a table made private again keeps no grant
 * for the shared readers.
 */
export async function setDatasetVisibility(
  deps: DatasetServiceDeps, id: string, visibility: Visibility, viewer: Viewer,
): Promise<{ dataset: DatasetRecord; changed: boolean }> {
  if (visibility !== 'PRIVATE' && visibility !== 'SHARED') throw new AppError('BAD_INPUT', `unknown visibility "${visibility}"`)
  const current = await findDataset(deps.database.db, id)
  if (!current || !canSee(viewer, current)) throw new AppError('NOT_FOUND', `no dataset with id ${id}`)
  assertCanModify(viewer, current)
  if (current.visibility === visibility) return { dataset: current, changed: false }
  await deps.roles.ensureOwner(current.ownerId)
  const dataset = await deps.database.transaction(async (session) => {
    await session.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`phers.dataset:${current.ownerId}:${current.name}`])
    const locked = await findDataset(session.db, id)
    if (!locked) throw new AppError('NOT_FOUND', `no dataset with id ${id}`)
    const schema = deps.roles.schemaFor(locked.ownerId, visibility)
    const taken = await takenTableNames(session.db, locked.ownerId, schema, locked.tableName, locked.id)
    const tableName = claimUnique(locked.tableName, taken)
    await moveTable(session, locked, schema, tableName)
    await deps.roles.grantTable(session.db, schema, tableName, locked.ownerId)
    const row = await session.db
      .updateTable('phers.datasets')
      .set({ visibility, schema_name: schema, table_name: tableName, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    return toDatasetRecord(row)
  })
  return { dataset, changed: true }
}

async function moveTable(session: DbSession, dataset: DatasetRecord, schema: string, tableName: string): Promise<void> {
  const from = sql.table(`${dataset.schemaName}.${dataset.tableName}`)
  const grantees = await session.query<{ grantee: string }>(
    `SELECT DISTINCT grantee FROM information_schema.role_table_grants
      WHERE table_schema = $1 AND table_name = $2 AND grantee <> current_user AND grantee <> 'PUBLIC'`,
    [dataset.schemaName, dataset.tableName],
  )
  for (const { grantee } of grantees.rows) await sql`REVOKE ALL ON ${from} FROM ${sql.id(grantee)}`.execute(session.db)
  if (tableName !== dataset.tableName) await sql`ALTER TABLE ${from} RENAME TO ${sql.id(tableName)}`.execute(session.db)
  await sql`ALTER TABLE ${sql.table(`${dataset.schemaName}.${tableName}`)} SET SCHEMA ${sql.id(schema)}`.execute(session.db)
}
