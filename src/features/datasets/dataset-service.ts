import { sql } from 'kysely'
import { AppError } from '../../errors.ts'
import { roleAtLeast, type Viewer } from '../auth/viewer.ts'
import { ROW_COLUMN } from './column-names.ts'
import { canSee } from './dataset-access.ts'
import { columnsOf, datasets, findDataset, toDatasetInfo, toDatasetRecord } from './dataset-catalog.ts'
import type { DatasetChange, DatasetServiceDeps } from './dataset-service-deps.ts'
import type { ColumnInfo, ColumnType, DatasetInfo, Visibility } from './dataset-types.ts'
import { deleteDataset } from './delete-dataset.ts'
import { createCsvLoadWorkers } from './csv-load-workers.ts'
import { ingestDataset, type IngestRequest } from './ingest-dataset.ts'
import { setColumnType } from './set-column-type.ts'
import { setDatasetVisibility } from './set-dataset-visibility.ts'

export interface DatasetPage {
  nodes: DatasetInfo[]
  hasNextPage: boolean
  endCursor: string | null
}

export interface DatasetPreview {
  columns: { name: string; type: ColumnType }[]
  /** Values as PostgreSQL text, in file order; null for NULL. */
  rows: (string | null)[][]
}

export interface DatasetService {
  ingest(request: IngestRequest): Promise<DatasetInfo>
  get(id: string, viewer: Viewer): Promise<DatasetInfo | null>
  /** The viewer's own dataset of that name, else the oldest shared one. */
  getByName(name: string, viewer: Viewer): Promise<DatasetInfo | null>
  listVisible(viewer: Viewer, page?: { first?: number | null; after?: string | null }): Promise<DatasetPage>
  /** Columns of many datasets with one query, in the order of `ids` (a DataLoader batch function). */
  columns(ids: readonly string[]): Promise<ColumnInfo[][]>
  /** First rows in file order; `dataset` must come from `get`/`getByName` (already checked for the viewer). */
  preview(dataset: DatasetInfo, first?: number): Promise<DatasetPreview>
  delete(id: string, viewer: Viewer): Promise<DatasetInfo>
  setVisibility(id: string, visibility: Visibility, viewer: Viewer): Promise<DatasetInfo>
  setColumnType(id: string, column: string, type: ColumnType, viewer: Viewer): Promise<ColumnInfo>
  /** Ends the CSV worker threads kept between uploads (idle ones never keep the process alive). */
  stop(): Promise<void>
}

/** The opaque cursor of a dataset in `listVisible` order (name, then id). */
export const datasetCursor = (d: DatasetInfo) => Buffer.from(JSON.stringify([d.name, d.id])).toString('base64url')

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) return value as [string, string]
  } catch {
    // fall through to the typed error
  }
  throw new AppError('BAD_INPUT', 'invalid cursor')
}

/** The datasets feature: CSV ingest and the catalog, with visibility and ownership enforced here. */
export function createDatasetService(deps: DatasetServiceDeps): DatasetService {
  const { database, logger, limits } = deps
  const db = database.db
  const workers = createCsvLoadWorkers()

  async function changed(dataset: DatasetInfo, kind: DatasetChange): Promise<void> {
    try {
      await deps.hooks?.onChanged?.(dataset, kind)
    } catch (error) {
      logger.error({ err: error, datasetId: dataset.id, kind }, 'dataset change hook failed')
    }
  }

  return {
    async ingest(request) {
      const { dataset, replaced } = await ingestDataset(deps, workers, request)
      const info = toDatasetInfo(dataset)
      await changed(info, replaced ? 'replaced' : 'created')
      return info
    },
    async get(id, viewer) {
      const dataset = await findDataset(db, id)
      return dataset && canSee(viewer, dataset) ? toDatasetInfo(dataset) : null
    },
    async getByName(name, viewer) {
      const row = await datasets(db)
        .where('name', '=', name)
        .where((eb) => eb.or([eb('owner_id', '=', viewer.id), eb('visibility', '=', 'SHARED')]))
        .orderBy(sql`owner_id = ${viewer.id}`, 'desc')
        .orderBy('created_at')
        .executeTakeFirst()
      return row ? toDatasetInfo(toDatasetRecord(row)) : null
    },
    async listVisible(viewer, page = {}) {
      const first = Math.min(Math.max(page.first ?? 50, 0), 500)
      let query = datasets(db).orderBy('name').orderBy('id').limit(first + 1)
      if (!roleAtLeast(viewer, 'ADMIN')) query = query.where((eb) => eb.or([eb('owner_id', '=', viewer.id), eb('visibility', '=', 'SHARED')]))
      if (page.after) {
        const [name, id] = decodeCursor(page.after)
        query = query.where((eb) => eb.or([eb('name', '>', name), eb.and([eb('name', '=', name), eb('id', '>', id)])]))
      }
      const rows = (await query.execute()).map((r) => toDatasetInfo(toDatasetRecord(r)))
      const nodes = rows.slice(0, first)
      return { nodes, hasNextPage: rows.length > first, endCursor: nodes.length ? datasetCursor(nodes.at(-1)!) : null }
    },
    columns: (ids) => columnsOf(db, ids),
    async preview(dataset, first = 20) {
      const limit = Math.min(Math.max(first, 0), limits.maxPreviewRows ?? 1000)
      const record = await findDataset(db, dataset.id)
      if (!record) throw new AppError('NOT_FOUND', `no dataset with id ${dataset.id}`)
      const [columns] = await columnsOf(db, [dataset.id])
      const list = columns!.map((c) => sql.id(c.name))
      if (list.length === 0) return { columns: [], rows: [] }
      const compiled = sql`SELECT ${sql.join(list)} FROM ${sql.table(`${record.schemaName}.${record.tableName}`)} ORDER BY ${sql.id(ROW_COLUMN)} LIMIT ${sql.lit(limit)}`.compile(db)
      const rows = await database.transaction((s) => s.query<(string | null)[]>(compiled.sql, [], { rowMode: 'array', raw: true }), { readOnly: true })
      return { columns: columns!.map((c) => ({ name: c.name, type: c.type })), rows: rows.rows }
    },
    async delete(id, viewer) {
      const info = toDatasetInfo(await deleteDataset(deps, id, viewer))
      await changed(info, 'deleted')
      return info
    },
    async setVisibility(id, visibility, viewer) {
      const { dataset, changed: moved } = await setDatasetVisibility(deps, id, visibility, viewer)
      const info = toDatasetInfo(dataset)
      if (moved) await changed(info, 'replaced')
      return info
    },
    async setColumnType(id, column, type, viewer) {
      const result = await setColumnType(deps, id, column, type, viewer)
      await changed(toDatasetInfo(result.dataset), 'replaced')
      return result.column
    },
    stop: () => workers.stop(),
  }
}
