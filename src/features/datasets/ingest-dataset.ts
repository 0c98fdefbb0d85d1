import { randomBytes, randomUUID } from 'node:crypto'
import { tmpdir } from 'node:os'
import { sql } from 'kysely'
import { AppError } from '../../errors.ts'
import type { DbSession } from '../../infra/database.ts'
import type { Viewer } from '../auth/viewer.ts'
import { columnStats } from './column-stats.ts'
import { assertCanUpload } from './dataset-access.ts'
import { findOwnedDataset, replaceColumns, toDatasetRecord, type ColumnRecord, type DatasetRecord } from './dataset-catalog.ts'
import type { DatasetServiceDeps } from './dataset-service-deps.ts'
import { loadCsvTable, type LoadedColumn } from './load-csv-table.ts'
import { openCsvLoader, type CsvLoader } from './csv-loader.ts'
import type { CsvLoadWorkers } from './csv-load-workers.ts'
import { chooseTableName, datasetNameFromFile } from './table-name.ts'

export interface IngestProgress {
  rowsRead: number
  bytesRead: number
}

export interface IngestRequest {
  /** The upload's bytes (e.g. `file.stream()`); never gathered whole. */
  source: AsyncIterable<Uint8Array>
  /**
   * The same bytes again from the start, if the source can be read twice: a redo (types that changed late in the
   * file) reads them here instead of from a spool written while the upload is read. Must yield the same bytes.
   */
  reread?: () => AsyncIterable<Uint8Array>
  fileName: string
  /** Dataset name; defaults to the file name without extension. An existing name of the owner is replaced. */
  name?: string | null
  owner: Viewer
  signal?: AbortSignal
  onProgress?: (progress: IngestProgress) => void
}

const MAX_NAME_CHARS = 200

function datasetName(request: IngestRequest): string {
  const name = (request.name ?? datasetNameFromFile(request.fileName)).trim()
  if (name === '') throw new AppError('BAD_INPUT', 'the dataset needs a name (the file name was empty)')
  if (name.length > MAX_NAME_CHARS) throw new AppError('BAD_INPUT', `a dataset name has at most ${MAX_NAME_CHARS} characters`)
  return name
}

/**
 * One upload, one transaction: the table is loaded under a temporary name, then takes the dataset's name
 * (dropping the previous version, if any) and the catalog rows are written. A failure anywhere leaves neither
 * a table nor a catalog row, and readers of a replaced dataset see the old version until the commit.
 */
export async function ingestDataset(deps: DatasetServiceDeps, workers: CsvLoadWorkers, request: IngestRequest): Promise<{ dataset: DatasetRecord; replaced: boolean }> {
  const { roles, limits } = deps
  assertCanUpload(request.owner)
  const name = datasetName(request)
  await roles.ensureOwner(request.owner.id)
  let bytesRead = 0
  let rowsRead = 0
  const report = () => request.onProgress?.({ rowsRead, bytesRead })
  const csv = await openCsvLoader({
    source: request.source,
    reread: request.reread,
    maxBytes: limits.maxUploadBytes,
    spoolDir: limits.spoolDir ?? tmpdir(),
    workers,
    signal: request.signal,
    onBytes: (bytes) => { bytesRead = bytes },
    onRows: (rows) => { rowsRead = rows; report() },
  })
  try {
    return await loadInTransaction(deps, request, { name, csv, progress: { get: () => ({ rowsRead, bytesRead }) } })
  } finally {
    await csv.stop()
  }
}

interface LoadContext {
  name: string
  csv: CsvLoader
  progress: { get(): IngestProgress }
}

async function loadInTransaction(deps: DatasetServiceDeps, request: IngestRequest, { name, csv, progress }: LoadContext) {
  const { database, roles, logger, limits } = deps
  const ownerId = request.owner.id
  return database.transaction(async (session) => {
    // Two uploads of one name serialize here, so the second one cleanly replaces the first.
    await session.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`phers.dataset:${ownerId}:${name}`])
    const existing = await findOwnedDataset(session.db, ownerId, name)
    const schema = existing?.schemaName ?? roles.ownerSchema(ownerId)
    const tableName = existing?.tableName ?? (await chooseTableName(session.db, ownerId, schema, name))
    const loadName = `_phers_load_${randomBytes(8).toString('hex')}`
    const loaded = await loadCsvTable({ session, csv, schema, table: loadName, logger, maxColumns: limits.maxColumns })
    if (existing) await sql`DROP TABLE ${sql.table(`${schema}.${tableName}`)}`.execute(session.db)
    await sql`ALTER TABLE ${sql.table(`${schema}.${loadName}`)} RENAME TO ${sql.id(tableName)}`.execute(session.db)
    await roles.grantTable(session.db, schema, tableName, ownerId)

    const columns = await describeColumns(deps, session, schema, tableName, loaded.columns, loaded.rowCount)
    const row = await writeDatasetRow(session, { existing, ownerId, name, schema, tableName, rowCount: loaded.rowCount, fileName: request.fileName, fileSize: progress.get().bytesRead })
    await replaceColumns(session.db, row.id, columns)
    return { dataset: row, replaced: existing !== null }
  })
}

async function describeColumns(
  deps: DatasetServiceDeps, session: DbSession, schema: string, table: string, loaded: LoadedColumn[], rowCount: number,
): Promise<ColumnRecord[]> {
  const stats = await columnStats(session, schema, table, loaded.map((c) => ({ name: c.name, type: c.inference.type })), rowCount)
  return loaded.map((column, position) => {
    const s = stats[position]!
    const base = { position, name: column.name, originalName: column.originalName, type: column.inference.type, inference: column.inference, ...s }
    const role = deps.hooks?.detectRole?.({ ...base, rowCount })
    return { ...base, role: role?.role ?? null, roleConfidence: role?.confidence ?? 0 }
  })
}

interface DatasetRowInput {
  existing: DatasetRecord | null
  ownerId: string
  name: string
  schema: string
  tableName: string
  rowCount: number
  fileName: string
  fileSize: number
}

async function writeDatasetRow(session: DbSession, input: DatasetRowInput): Promise<DatasetRecord> {
  const values = { row_count: input.rowCount, file_name: input.fileName, file_size: input.fileSize }
  const row = input.existing
    ? await session.db
        .updateTable('phers.datasets')
        .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
        .where('id', '=', input.existing.id)
        .returningAll()
        .executeTakeFirstOrThrow()
    : await session.db
        .insertInto('phers.datasets')
        .values({ ...values, id: randomUUID(), owner_id: input.ownerId, name: input.name, table_name: input.tableName, schema_name: input.schema })
        .returningAll()
        .executeTakeFirstOrThrow()
  return toDatasetRecord(row)
}
