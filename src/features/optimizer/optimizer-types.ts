/** One key of an index: a column, optionally wrapped in an immutable function (`lower(name)`) or with an opclass. */
export interface IndexKey {
  column: string
  fn: string | null
  /** Non-default operator class, e.g. `text_pattern_ops` for `LIKE 'abc%'` under a non-C collation. */
  opclass: string | null
}

export type IndexMethod = 'btree' | 'gin_trgm'

/** An index the advisor considers for one table, before evaluation. */
export interface IndexCandidate {
  schema: string
  table: string
  method: IndexMethod
  keys: IndexKey[]
  /** Why it was proposed, in words (`equality on manufacturer`, `ORDER BY created_at`). */
  because: string[]
}

/** How one workload statement reads one table: the raw material for candidates. */
export interface TableUsage {
  /** Schema as written (admins may qualify), otherwise null. */
  schema: string | null
  table: string
  equality: IndexKey[]
  range: IndexKey[]
  /** `LIKE 'abc%'`: a btree with a pattern opclass can serve it. */
  prefix: IndexKey[]
  /** `ILIKE '%abc%'` / `LIKE '%abc%'`: only a trigram GIN index helps. */
  contains: IndexKey[]
  join: IndexKey[]
  order: IndexKey[]
  group: IndexKey[]
}

/** A statement of the recorded workload as the advisor uses it. */
export interface WorkloadStatement {
  fingerprint: string
  /** Viewer scope the statement ran under (resolves bare table names through that owner's schema). */
  scope: string
  sql: string
  params: unknown[]
  calls: number
  meanMs: number
}

export interface HelpedStatement {
  fingerprint: string
  sql: string
  /** What re-running it for a measurement needs: its parameters and the search path it ran under. */
  params: unknown[]
  searchPath: string[]
  calls: number
  costBefore: number
  costAfter: number
}

export type RecommendationStatus = 'PENDING' | 'APPLIED' | 'DROP_RECOMMENDED' | 'DROPPED'

export interface MeasuredGain {
  beforeMs: number
  afterMs: number
  /** beforeMs / afterMs, call-weighted over the helped statements. */
  speedup: number
  note: string
}

export interface IndexRecommendation {
  id: string
  datasetId: string
  schema: string
  table: string
  indexName: string
  method: IndexMethod
  keys: IndexKey[]
  /** The CREATE INDEX statement an operator could run by hand. */
  statement: string
  helped: HelpedStatement[]
  /** Call-weighted estimated cost of the helped statements without and with the index. */
  costBefore: number
  costAfter: number
  sizeBytes: number
  reason: string
  status: RecommendationStatus
  measured: MeasuredGain | null
  createdAt: Date
  updatedAt: Date
}

/** One finding of index health: an index worth dropping and why. */
export interface IndexHealthIssue {
  kind: 'UNUSED' | 'DUPLICATE' | 'PREFIX_REDUNDANT'
  schema: string
  table: string
  indexName: string
  sizeBytes: number
  definition: string
  /** The index that makes this one unnecessary (duplicates and prefixes). */
  coveredBy: string | null
  reason: string
  dropStatement: string
}

/** A node of an EXPLAIN plan, reduced to what a reader needs. */
export interface PlanNodeView {
  nodeType: string
  relation: string | null
  indexName: string | null
  startupCost: number
  totalCost: number
  planRows: number
  actualRows: number | null
  actualTimeMs: number | null
  loops: number | null
  filter: string | null
  rowsRemovedByFilter: number | null
  detail: string | null
  children: PlanNodeView[]
}

export interface ExplainResult {
  plan: PlanNodeView
  summary: string[]
  totalCost: number
  planningMs: number | null
  executionMs: number | null
  /** Raw EXPLAIN JSON (without output column lists). */
  raw: unknown
}

/** Telemetry events the advisor emits (the telemetry feature subscribes through `onEvent`). */
export interface OptimizerEvent {
  type: 'index.recommended' | 'index.applied' | 'index.dropped' | 'index.drop_recommended'
  datasetId: string | null
  indexName: string
  detail: Record<string, unknown>
}
