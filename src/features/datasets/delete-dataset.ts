import { sql } from 'kysely'
import { AppError } from '../../errors.ts'
import type { Viewer } from '../auth/viewer.ts'
import { assertCanModify, canSee } from './dataset-access.ts'
import { findDataset, type DatasetRecord } from './dataset-catalog.ts'
import type { DatasetServiceDeps } from './dataset-service-deps.ts'

/** Drops the table and the catalog rows (columns cascade) in one transaction. */
export async function deleteDataset(deps: DatasetServiceDeps, id: string, viewer: Viewer): Promise<DatasetRecord> {
  return deps.database.transaction(async (session) => {
    const dataset = await findDataset(session.db, id)
    // Someone who cannot see a dataset learns nothing about it, not even that it exists.
    if (!dataset || !canSee(viewer, dataset)) throw new AppError('NOT_FOUND', `no dataset with id ${id}`)
    assertCanModify(viewer, dataset)
    await session.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`phers.dataset:${dataset.ownerId}:${dataset.name}`])
    await sql`DROP TABLE IF EXISTS ${sql.table(`${dataset.schemaName}.${dataset.tableName}`)}`.execute(session.db)
    await session.db.deleteFrom('phers.datasets').where('id', '=', id).execute()
    return dataset
  })
}
