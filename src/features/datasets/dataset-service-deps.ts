import type { Logger } from 'pino'
import type { Database } from '../../infra/database.ts'
import type { DatabaseRoles } from '../auth/database-roles.ts'
import type { ColumnRole, ColumnType, DatasetInfo, TopValue } from './dataset-types.ts'

export interface DatasetLimits {
  /** Largest upload in bytes (PHERS_MAX_UPLOAD_BYTES). */
  maxUploadBytes: number
  /** Most columns a CSV may have; default 1599 (PostgreSQL's 1600 minus `_row`). */
  maxColumns?: number
  /** Where uploads that cannot be read twice are spooled while loading (deleted after); default the OS temp directory. */
  spoolDir?: string
  /** Largest `preview(first)`; default 1000. */
  maxPreviewRows?: number
}

/** What role detection needs about a column (the same shape chat's `detectColumnRole` takes). */
export interface RoleDetectionInput {
  originalName: string
  name: string
  type: ColumnType
  distinctCount: number
  rowCount: number
  nullCount: number
  topValues: readonly TopValue[]
}

export type DatasetChange = 'created' | 'replaced' | 'deleted'

export interface DatasetHooks {
  /** After commit: cache invalidation, subscriptions, audit. Errors are logged, never undo the change. */
  onChanged?: (dataset: DatasetInfo, kind: DatasetChange) => void | Promise<void>
  /** Semantic role of a column, stored as `role`/`role_confidence`. */
  detectRole?: (column: RoleDetectionInput) => { role: ColumnRole; confidence: number }
}

export interface DatasetServiceDeps {
  database: Database
  roles: DatabaseRoles
  logger: Logger
  limits: DatasetLimits
  hooks?: DatasetHooks
}
