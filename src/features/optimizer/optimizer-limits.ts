/** Thresholds and bounds of the index advisor; every field has a default. */
export interface OptimizerLimits {
  /** Statement timeout of the advisor's own queries and of measurements (config `sql.statementTimeoutMs`). Default 5000. */
  statementTimeoutMs?: number
  /** work_mem for measurements (config `sql.workMem`). Default `64MB`. */
  workMem?: string
  /** On PGlite, measurements refuse plans above this cost (config `sql.embeddedMaxCost`). Default 50,000,000. */
  embeddedMaxCost?: number
  /** Rows a result may have (guard option for recursive statements). Default 100,000. */
  maxResultRows?: number
  /** Workload statements read per dataset, most frequent first. Default 50. */
  maxStatements?: number
  /** A statement is frequent from this many calls. Default 3. */
  minCalls?: number
  /** A statement is slow from this mean latency, whatever its frequency. Default 200 ms. */
  slowMs?: number
  /** Required drop of the call-weighted estimated cost of the statements a candidate helps. Default 0.5. */
  minCostSaving?: number
  /** Measured speedup (before / after) under which an applied index is recommended for dropping. Default 2. */
  minMeasuredSpeedup?: number
  /**
   * Wall-time budget for evaluating candidates of one dataset: no evaluation starts when the mean one so far
   * would end past it; what is left waits for the next run (most promising candidates go first). Default 9000 ms.
   */
  evaluationBudgetMs?: number
  /** How long an evaluation build may wait for its table lock. Default 1000 ms. */
  lockTimeoutMs?: number
  /** maintenance_work_mem for evaluation builds. Default `256MB`. */
  maintenanceWorkMem?: string
  /** Runs per statement when measuring before/after (the median counts; one warm-up run first). Default 5. */
  measureRuns?: number
  /** Auto mode: most indexes (of any origin) one dataset table may have. Default 5. */
  maxIndexesPerTable?: number
  /** Auto mode: most index bytes one dataset may carry. Default 1 GiB. */
  maxIndexBytesPerDataset?: number
  /** Auto mode: period between passes. Default 10 minutes. */
  autoIntervalMs?: number
  /** An index with no scans for this long is reported unused. Default 7 days. */
  unusedAfterMs?: number
}

export type ResolvedLimits = Required<OptimizerLimits>

export function resolveLimits(limits: OptimizerLimits): ResolvedLimits {
  return {
    statementTimeoutMs: 5_000, workMem: '64MB', embeddedMaxCost: 50_000_000, maxResultRows: 100_000, maxStatements: 50,
    minCalls: 3, slowMs: 200, minCostSaving: 0.5, minMeasuredSpeedup: 2, evaluationBudgetMs: 9_000, lockTimeoutMs: 1_000,
    maintenanceWorkMem: '256MB', measureRuns: 5, maxIndexesPerTable: 5, maxIndexBytesPerDataset: 1024 ** 3,
    autoIntervalMs: 10 * 60_000, unusedAfterMs: 7 * 24 * 3_600_000,
    ...Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)),
  }
}
