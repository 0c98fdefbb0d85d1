import { openMigratedDatabase } from '../../../test/support/migrated-database.ts'
import type { Backend } from '../../../test/support/backends.ts'
import type { Database } from '../../infra/database.ts'
import type { DatabaseRoles } from '../auth/database-roles.ts'
import type { Role, Viewer } from '../auth/viewer.ts'
import type { DatasetChange, DatasetHooks } from './dataset-service-deps.ts'
import { createDatasetService, type DatasetService } from './dataset-service.ts'
import type { DatasetInfo } from './dataset-types.ts'

export interface UploadOptions {
  name?: string
  owner?: Viewer
  fileName?: string
  chunkSize?: number
  /** Offer the service a second read of the content (as a buffered upload or a file can), so it spools nothing. */
  rereadable?: boolean
  signal?: AbortSignal
  onProgress?: (progress: { rowsRead: number; bytesRead: number }) => void
}

export interface DatasetFixture {
  database: Database
  roles: DatabaseRoles
  service: DatasetService
  changes: { name: string; version: number; kind: DatasetChange }[]
  /** Uploads `content` in `chunkSize`-byte pieces, as a stream would deliver it. */
  upload(content: string | Uint8Array, options?: UploadOptions): Promise<DatasetInfo>
  /** Dataset tables that exist in any dataset schema (to prove failed uploads leave nothing). */
  datasetTables(): Promise<string[]>
  stop(): Promise<void>
}

export const viewerOf = (id: string, role: Role = 'ANALYST'): Viewer => ({ id, name: id, role, anonymous: false })

async function* pieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}

/** A migrated, empty database on `backend` with the dataset service over it. */
export async function openDatasetFixture(
  backend: Backend,
  maxUploadBytes = 16 * 1024 * 1024,
  detectRole?: DatasetHooks['detectRole'],
): Promise<DatasetFixture> {
  const opened = await openMigratedDatabase(backend)
  const { database, roles, logger } = opened
  const changes: DatasetFixture['changes'] = []
  const service = createDatasetService({
    database, roles, logger, limits: { maxUploadBytes },
    hooks: { onChanged: (d, kind) => void changes.push({ name: d.name, version: d.version, kind }), detectRole },
  })
  return {
    database, roles, service, changes,
    upload: (content, options = {}) => {
      const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content
      return service.ingest({
        source: pieces(bytes, options.chunkSize ?? 7),
        reread: options.rereadable ? () => pieces(bytes, options.chunkSize ?? 7) : undefined,
        fileName: options.fileName ?? 'data.csv',
        name: options.name ?? 'data',
        owner: options.owner ?? viewerOf('alice'),
        signal: options.signal,
        onProgress: options.onProgress,
      })
    },
    async datasetTables() {
      const result = await database.db.selectFrom('pg_tables').select(['schemaname', 'tablename']).where('schemaname', 'like', 'ds\\_%').execute()
      return result.map((r) => `${r.schemaname}.${r.tablename}`).sort()
    },
    async stop() {
      await service.stop()
      await opened.stop()
    },
  }
}
