/** PostgreSQL type names a dataset column can have after inference. */
export type ColumnType =
  | 'integer'
  | 'bigint'
  | 'numeric'
  | 'boolean'
  | 'date'
  | 'timestamp'
  | 'timestamptz'
  | 'text'

/** Semantic meaning of a column, detected at ingest (issue 3) and correctable by `setColumnRole`. */
export type ColumnRole =
  | 'identifier'
  | 'person_name'
  | 'username'
  | 'email'
  | 'organization'
  | 'product'
  | 'category'
  | 'location'
  | 'money'
  | 'date'
  | 'status'
  | 'quantity'
  | 'boolean'
  | 'text'

export interface TopValue {
  value: string
  count: number
}

export interface ColumnInference {
  type: ColumnType
  /** 0..1: share of non-empty cells that fit the chosen type's strictest reading. */
  confidence: number
  /** Distinct sample values that ruled out a narrower type. */
  examplesRejected: string[]
  /** Parsing convention used for the type, e.g. `MM/DD/YYYY`, `1.234,56`, `$`. */
  format: string | null
}

export interface ColumnInfo {
  datasetId: string
  position: number
  name: string
  originalName: string
  type: ColumnType
  nullCount: number
  distinctCount: number
  min: string | null
  max: string | null
  topValues: TopValue[]
  inference: ColumnInference
  role: ColumnRole | null
  roleConfidence: number
}

export type Visibility = 'PRIVATE' | 'SHARED'

export interface DatasetInfo {
  id: string
  name: string
  /** Unqualified table name in the datasets schema; what users write in `FROM`. */
  tableName: string
  version: number
  rowCount: number
  ownerId: string
  visibility: Visibility
  fileName: string | null
  fileSize: number
  createdAt: Date
  updatedAt: Date
}
