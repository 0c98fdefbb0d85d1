import type { Kysely } from 'kysely'
import { AppError } from '../../errors.ts'
import type { Viewer } from '../auth/viewer.ts'
import { assertCanModify } from './dataset-access.ts'
import { columnsOf } from './dataset-catalog.ts'
import type { ColumnInfo, ColumnRole, DatasetInfo } from './dataset-types.ts'

/**
 * Corrects a column's semantic role (confidence 1: a person said so). The caller has already looked the dataset
 * up for the viewer, so a dataset they cannot see never reaches here.
 */
export async function setColumnRole(
  db: Kysely<any>,
  dataset: DatasetInfo,
  column: string,
  role: ColumnRole,
  viewer: Viewer,
): Promise<ColumnInfo> {
  assertCanModify(viewer, dataset)
  const updated = await db
    .updateTable('phers.dataset_columns')
    .set({ role, role_confidence: 1 })
    .where('dataset_id', '=', dataset.id)
    .where('name', '=', column)
    .executeTakeFirst()
  if (Number(updated.numUpdatedRows) === 0) {
    throw new AppError('NOT_FOUND', `dataset "${dataset.name}" has no column "${column}"`)
  }
  const [columns] = await columnsOf(db, [dataset.id])
  return columns!.find((c) => c.name === column)!
}
