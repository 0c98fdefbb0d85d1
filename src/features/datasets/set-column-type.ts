import { sql } from 'kysely'
import { AppError } from '../../errors.ts'
import type { Viewer } from '../auth/viewer.ts'
import { columnStats } from './column-stats.ts'
import { assertCanModify, canSee } from './dataset-access.ts'
import { columnsOf, findDataset, toDatasetRecord, type DatasetRecord } from './dataset-catalog.ts'
import type { DatasetServiceDeps } from './dataset-service-deps.ts'
import type { ColumnInfo, ColumnType } from './dataset-types.ts'
import { castTo, conversionSql } from './type-conversion.ts'

/** Invalid text representation, out of range, or a cast PostgreSQL does not have. */
const isConversionError = (error: Error) => {
  const code = (error as { code?: string }).code ?? ''
  return code.startsWith('22') || code === '42846'
}

export const COLUMN_TYPES: readonly ColumnType[] = ['integer', 'bigint', 'numeric', 'boolean', 'date', 'timestamp', 'timestamptz', 'text']

/**
 * Re-types one column in place, no re-upload, by casting its values' text form. A value that does not convert
 * fails with BAD_INPUT naming it, and nothing changes. The version is bumped: cached results are stale.
 */
export async function setColumnType(
  deps: DatasetServiceDeps, id: string, columnName: string, type: ColumnType, viewer: Viewer,
): Promise<{ dataset: DatasetRecord; column: ColumnInfo }> {
  if (!COLUMN_TYPES.includes(type)) throw new AppError('BAD_INPUT', `unknown column type "${type}"; use one of ${COLUMN_TYPES.join(', ')}`)
  return deps.database.transaction(async (session) => {
    const dataset = await findDataset(session.db, id)
    if (!dataset || !canSee(viewer, dataset)) throw new AppError('NOT_FOUND', `no dataset with id ${id}`)
    assertCanModify(viewer, dataset)
    await session.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`phers.dataset:${dataset.ownerId}:${dataset.name}`])
    const [columns] = await columnsOf(session.db, [id])
    const column = columns!.find((c) => c.name === columnName)
    if (!column) throw new AppError('NOT_FOUND', `dataset "${dataset.name}" has no column "${columnName}"`)
    const table = sql.table(`${dataset.schemaName}.${dataset.tableName}`)
    // A plain cast of the current text form: ingest stored every typed column in PostgreSQL's canonical form
    // and text columns as uploaded, so the file's conventions (inference.format) never apply here.
    const expression = conversionSql(sql`${sql.id(column.name)}::text`, type, null)
    try {
      await sql`ALTER TABLE ${table} ALTER COLUMN ${sql.id(column.name)} TYPE ${castTo(type)} USING ${expression}`.execute(session.db)
    } catch (error) {
      if (!isConversionError(error as Error)) throw error
      throw new AppError('BAD_INPUT', `column "${column.name}" cannot become ${type}: ${(error as Error).message}`, { column: column.name, type })
    }
    await sql`ANALYZE ${table} (${sql.id(column.name)})`.execute(session.db)
    const [stats] = await columnStats(session, dataset.schemaName, dataset.tableName, [{ name: column.name, type }], dataset.rowCount)
    await session.db
      .updateTable('phers.dataset_columns')
      .set({ type, null_count: stats!.nullCount, distinct_count: stats!.distinctCount, min_value: stats!.min, max_value: stats!.max, top_values: JSON.stringify(stats!.topValues) })
      .where('dataset_id', '=', id)
      .where('position', '=', column.position)
      .execute()
    const row = await session.db
      .updateTable('phers.datasets')
      .set({ version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    return { dataset: toDatasetRecord(row), column: { ...column, ...stats!, type } }
  })
}
