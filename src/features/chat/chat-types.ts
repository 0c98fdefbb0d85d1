import type { Viewer } from '../auth/viewer.ts'
import type { ColumnInfo, ColumnRole, DatasetInfo } from '../datasets/dataset-types.ts'
import type { ResultColumn } from '../sql/sql-types.ts'

/** What the chat needs from the dataset catalog; the integrator adapts the real catalog to it. */
export interface ChatCatalog {
  /** Datasets the viewer may read, used when a question names no dataset. */
  listDatasets(viewer: Viewer): Promise<DatasetInfo[]>
  /** Null when missing or not readable by the viewer. */
  getDataset(id: string, viewer: Viewer): Promise<DatasetInfo | null>
  columns(datasetId: string): Promise<ColumnInfo[]>
  /** Persists a corrected role; the chat reads columns per question so the correction applies at once. */
  setColumnRole(datasetId: string, column: string, role: ColumnRole, viewer: Viewer): Promise<ColumnInfo>
}

export type ChatIntent =
  | 'lookup' | 'list' | 'count' | 'aggregate' | 'group' | 'top' | 'distinct' | 'compare' | 'unanswerable'

export type FilterOp = 'eq' | 'in' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'is_null' | 'not_null' | 'contains'

export interface Filter {
  column: string
  op: FilterOp
  /** Values bound as parameters; `in` holds several, `is_null`/`not_null` none. */
  values: (string | number | boolean)[]
  /** The words of the question this filter came from. */
  phrase: string
  /** The value was typed but is not among the column's values (answered truthfully, not dropped). */
  unknownValue?: boolean
}

export type AggregateFn = 'count' | 'count_distinct' | 'sum' | 'avg' | 'min' | 'max' | 'difference'

export interface Measure {
  fn: AggregateFn
  /** Null for count(*). */
  column: string | null
  /** `difference`: the column's total for the first value minus that for the second ("Norway than Germany"). */
  between?: { column: string; values: [string, string] }
}

/** A question's meaning, independent of SQL text: follow-ups edit this, the SQL builder reads it. */
export interface QueryPlan {
  intent: ChatIntent
  /** Columns to show for lookup/list/distinct/top; empty means every column. */
  select: string[]
  /** AND of groups; each inner group is an OR of filters. */
  filters: Filter[][]
  groupBy: string[]
  measure: Measure | null
  having: { op: 'gt' | 'gte' | 'lt' | 'lte' | 'eq'; value: number } | null
  orderBy: { by: 'measure' | string; dir: 'asc' | 'desc' } | null
  limit: number | null
}

export interface InterpretationItem {
  /** Words of the question. */
  phrase: string
  kind: 'column' | 'value' | 'operator' | 'group' | 'order' | 'limit' | 'measure' | 'dataset' | 'reference'
  column: string | null
  value: string | null
  operator: string | null
}

export interface ChatAnswer {
  answer: string
  sql: string | null
  params: unknown[]
  columns: ResultColumn[]
  rows: unknown[][]
  intent: ChatIntent
  interpretation: InterpretationItem[]
  /** 0..1 */
  confidence: number
  /** Other readings when the question is ambiguous, as short sentences. */
  alternatives: string[]
  conversationId: string
  datasetId: string | null
  /** Whether the rows came from the query cache, and from which level. */
  cached: boolean
  cacheLevel: 'L1' | 'L2' | null
}

export interface AskInput {
  message: string
  conversationId?: string | null
  datasetId?: string | null
  viewer: Viewer
  signal?: AbortSignal
}
