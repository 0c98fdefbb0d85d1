import { sql, type Kysely } from 'kysely'
import type { ColumnInfo, ColumnInference, DatasetInfo, TopValue, Visibility } from './dataset-types.ts'

/** A catalog row: the public DatasetInfo plus where its table lives. */
export interface DatasetRecord extends DatasetInfo {
  schemaName: string
}

interface DatasetRow {
  id: string
  owner_id: string
  name: string
  table_name: string
  schema_name: string
  visibility: Visibility
  version: number
  row_count: string | number
  file_name: string | null
  file_size: string | number
  created_at: Date | string
  updated_at: Date | string
}

const toDate = (value: Date | string) => (value instanceof Date ? value : new Date(value))

/** Rows come from `Kysely<any>`, so their shape is asserted here, once. */
export function toDatasetRecord(untyped: Record<string, unknown>): DatasetRecord {
  const row = untyped as unknown as DatasetRow
  return {
    id: row.id,
    name: row.name,
    tableName: row.table_name,
    schemaName: row.schema_name,
    version: Number(row.version),
    rowCount: Number(row.row_count),
    ownerId: row.owner_id,
    visibility: row.visibility,
    fileName: row.file_name,
    fileSize: Number(row.file_size),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  }
}

/** The public shape: the schema is an implementation detail users never type. */
export function toDatasetInfo({ schemaName: _schema, ...info }: DatasetRecord): DatasetInfo {
  return info
}

export const datasets = (db: Kysely<any>) => db.selectFrom('phers.datasets').selectAll()

export async function findDataset(db: Kysely<any>, id: string): Promise<DatasetRecord | null> {
  const row = await datasets(db).where('id', '=', id).executeTakeFirst()
  return row ? toDatasetRecord(row) : null
}

export async function findOwnedDataset(db: Kysely<any>, ownerId: string, name: string): Promise<DatasetRecord | null> {
  const row = await datasets(db).where('owner_id', '=', ownerId).where('name', '=', name).executeTakeFirst()
  return row ? toDatasetRecord(row) : null
}

/** A column as stored for one dataset (the dataset id comes from the call). */
export type ColumnRecord = Omit<ColumnInfo, 'datasetId'>

export async function replaceColumns(db: Kysely<any>, datasetId: string, columns: readonly ColumnRecord[]): Promise<void> {
  await db.deleteFrom('phers.dataset_columns').where('dataset_id', '=', datasetId).execute()
  if (columns.length === 0) return
  await db
    .insertInto('phers.dataset_columns')
    .values(
      columns.map((c) => ({
        dataset_id: datasetId,
        position: c.position,
        name: c.name,
        original_name: c.originalName,
        type: c.type,
        null_count: c.nullCount,
        distinct_count: c.distinctCount,
        min_value: c.min,
        max_value: c.max,
        top_values: JSON.stringify(c.topValues),
        inference: JSON.stringify(c.inference),
        role: c.role,
        role_confidence: c.roleConfidence,
      })),
    )
    .execute()
}

const parseJson = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T))

/** Columns of many datasets in one query, grouped in the order of `ids` (the DataLoader batch contract). */
export async function columnsOf(db: Kysely<any>, ids: readonly string[]): Promise<ColumnInfo[][]> {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('phers.dataset_columns')
    .selectAll()
    .where('dataset_id', 'in', [...new Set(ids)])
    .orderBy('dataset_id')
    .orderBy('position')
    .execute()
  const byId = new Map<string, ColumnInfo[]>(ids.map((id) => [id, []]))
  for (const r of rows) {
    byId.get(r.dataset_id)?.push({
      datasetId: r.dataset_id,
      position: Number(r.position),
      name: r.name,
      originalName: r.original_name,
      type: r.type,
      nullCount: Number(r.null_count),
      distinctCount: Number(r.distinct_count),
      min: r.min_value,
      max: r.max_value,
      topValues: parseJson<TopValue[]>(r.top_values),
      inference: parseJson<ColumnInference>(r.inference),
      role: r.role,
      roleConfidence: Number(r.role_confidence),
    })
  }
  return ids.map((id) => byId.get(id)!)
}

/**
 * Table names starting with `base` already used by the owner or present in the schema (a name must be unique
 * in both), leaving out the dataset `excludeId` when it is the one being moved.
 */
export async function takenTableNames(db: Kysely<any>, ownerId: string, schema: string, base: string, excludeId = ''): Promise<Set<string>> {
  const rows = await sql<{ name: string }>`
    SELECT table_name AS name FROM phers.datasets
     WHERE (owner_id = ${ownerId} OR schema_name = ${schema}) AND starts_with(table_name, ${base}) AND id <> ${excludeId}
    UNION SELECT tablename FROM pg_tables WHERE schemaname = ${schema} AND starts_with(tablename, ${base})`.execute(db)
  return new Set(rows.rows.map((r) => r.name))
}
