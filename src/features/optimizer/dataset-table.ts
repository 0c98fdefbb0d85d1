import { sql, type Kysely } from 'kysely'
import { AppError } from '../../errors.ts'

export interface DatasetTable {
  id: string
  schema: string
  table: string
}

export async function readDatasetTable(db: Kysely<any>, datasetId: string): Promise<DatasetTable> {
  const row = await db.selectFrom('phers.datasets').select(['id', 'schema_name', 'table_name']).where('id', '=', datasetId).executeTakeFirst()
  if (!row) throw new AppError('NOT_FOUND', `Dataset ${datasetId} does not exist`)
  return { id: String(row.id), schema: String(row.schema_name), table: String(row.table_name) }
}

/** The planner's row estimate (ANALYZE after ingest keeps it right); null when never analysed. */
export async function tableRowEstimate(db: Kysely<any>, table: DatasetTable): Promise<number | null> {
  const result = await sql<{ rows: number }>`SELECT c.reltuples::float8 AS rows FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ${table.schema} AND c.relname = ${table.table}`.execute(db)
  const rows = Number(result.rows[0]?.rows ?? -1)
  return rows >= 0 ? rows : null
}

/** Whether an extension is installed in this database (not merely available on the server). */
export async function extensionInstalled(db: Kysely<any>, name: string): Promise<boolean> {
  const result = await sql`SELECT 1 FROM pg_extension WHERE extname = ${name}`.execute(db)
  return result.rows.length > 0
}
