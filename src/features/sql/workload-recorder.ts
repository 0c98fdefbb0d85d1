import { sql, type Kysely } from 'kysely'
import type { Logger } from 'pino'

/** One executed statement, as the executor reports it. */
export interface WorkloadSample {
  fingerprint: string
  /** Access scope of the caller (the viewer id): the optimizer keeps owners apart. */
  scope: string
  sql: string
  params: readonly unknown[]
  datasetIds: readonly string[]
  durationMs: number
  rows: number
  /** ErrorCode of a failed execution, null on success. */
  errorCode: string | null
}

export interface WorkloadEntry {
  fingerprint: string
  scope: string
  sampleSql: string
  sampleParams: unknown[]
  datasetIds: string[]
  calls: number
  errors: number
  totalMs: number
  maxMs: number
  rows: number
  lastError: string | null
  firstSeen: Date
  lastSeen: Date
}

export interface WorkloadRecorder {
  record(sample: WorkloadSample): void
  /** Writes the aggregated counters to `phers.workload` (adding to what is there) and clears them. */
  flush(): Promise<void>
  /** Most frequent statements, optionally only those reading one dataset; flushes first so nothing is missed. */
  top(options?: { datasetId?: string; limit?: number }): Promise<WorkloadEntry[]>
  /** Stops the timer and flushes what is left. */
  stop(): Promise<void>
}

export interface WorkloadRecorderDeps {
  db: Kysely<any>
  logger: Logger
  /** Flush period. Default 10 s. */
  flushIntervalMs?: number
}

type Pending = Omit<WorkloadEntry, 'firstSeen'> & { firstSeen: Date }

/**
 * Aggregates executions per (fingerprint, scope) in memory: recording is on the request path and must cost
 * nothing there; the table sees one upsert per statement shape per flush instead of one insert per request.
 */
export function createWorkloadRecorder({ db, logger, flushIntervalMs = 10_000 }: WorkloadRecorderDeps): WorkloadRecorder {
  let pending = new Map<string, Pending>()
  let flushing: Promise<void> = Promise.resolve()

  function record(sample: WorkloadSample): void {
    const key = JSON.stringify([sample.fingerprint, sample.scope])
    const now = new Date()
    const entry = pending.get(key) ?? {
      fingerprint: sample.fingerprint, scope: sample.scope, sampleSql: sample.sql, sampleParams: [], datasetIds: [],
      calls: 0, errors: 0, totalMs: 0, maxMs: 0, rows: 0, lastError: null, firstSeen: now, lastSeen: now,
    }
    entry.sampleSql = sample.sql
    entry.sampleParams = [...sample.params]
    entry.datasetIds = [...sample.datasetIds]
    entry.calls += 1
    entry.errors += sample.errorCode ? 1 : 0
    entry.totalMs += sample.durationMs
    entry.maxMs = Math.max(entry.maxMs, sample.durationMs)
    entry.rows += sample.rows
    entry.lastError = sample.errorCode ?? entry.lastError
    entry.lastSeen = now
    pending.set(key, entry)
  }

  async function write(batch: Pending[]): Promise<void> {
    const values = batch.map((e) => sql`(${e.fingerprint}, ${e.scope}, ${e.sampleSql}, ${JSON.stringify(e.sampleParams)}::jsonb,
      ${JSON.stringify(e.datasetIds)}::jsonb, ${e.calls}, ${e.errors}, ${e.totalMs}, ${e.maxMs}, ${e.rows}, ${e.lastError},
      ${e.firstSeen.toISOString()}::timestamptz, ${e.lastSeen.toISOString()}::timestamptz)`)
    await sql`INSERT INTO phers.workload AS w (fingerprint, viewer_scope, sample_sql, sample_params, dataset_ids, calls,
        errors, total_ms, max_ms, rows, last_error, first_seen, last_seen)
      VALUES ${sql.join(values)}
      ON CONFLICT (fingerprint, viewer_scope) DO UPDATE SET
        sample_sql = excluded.sample_sql, sample_params = excluded.sample_params, dataset_ids = excluded.dataset_ids,
        calls = w.calls + excluded.calls, errors = w.errors + excluded.errors, total_ms = w.total_ms + excluded.total_ms,
        max_ms = greatest(w.max_ms, excluded.max_ms), rows = w.rows + excluded.rows,
        last_error = coalesce(excluded.last_error, w.last_error), last_seen = excluded.last_seen`.execute(db)
  }

  /** Serialised so two flushes never add the same counters twice; a failed batch is merged back. */
  function flush(): Promise<void> {
    flushing = flushing.then(async () => {
      if (pending.size === 0) return
      const batch = pending
      pending = new Map()
      try {
        await write([...batch.values()])
      } catch (error) {
        logger.warn({ err: error, statements: batch.size }, 'workload flush failed; keeping counters for the next one')
        for (const [key, entry] of batch) mergeBack(key, entry)
      }
    })
    return flushing
  }

  function mergeBack(key: string, entry: Pending): void {
    const newer = pending.get(key)
    if (!newer) return void pending.set(key, entry)
    newer.calls += entry.calls
    newer.errors += entry.errors
    newer.totalMs += entry.totalMs
    newer.maxMs = Math.max(newer.maxMs, entry.maxMs)
    newer.rows += entry.rows
    newer.firstSeen = entry.firstSeen
    newer.lastError ??= entry.lastError
  }

  async function top({ datasetId, limit = 20 }: { datasetId?: string; limit?: number } = {}): Promise<WorkloadEntry[]> {
    await flush()
    const filter = datasetId === undefined ? sql`true` : sql`dataset_ids @> ${JSON.stringify([datasetId])}::jsonb`
    const result = await sql<Record<string, unknown>>`SELECT fingerprint, viewer_scope, sample_sql, sample_params, dataset_ids,
        calls::float8 AS calls, errors::float8 AS errors, total_ms, max_ms, rows::float8 AS rows, last_error, first_seen, last_seen
      FROM phers.workload WHERE ${filter} ORDER BY calls DESC, total_ms DESC, fingerprint LIMIT ${limit}`.execute(db)
    return result.rows.map(toEntry)
  }

  const timer = setInterval(() => void flush(), flushIntervalMs)
  timer.unref()

  return {
    record,
    flush,
    top,
    async stop() {
      clearInterval(timer)
      await flush()
    },
  }
}

const parseJson = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value)

function toEntry(row: Record<string, unknown>): WorkloadEntry {
  return {
    fingerprint: String(row.fingerprint),
    scope: String(row.viewer_scope),
    sampleSql: String(row.sample_sql),
    sampleParams: parseJson(row.sample_params) as unknown[],
    datasetIds: parseJson(row.dataset_ids) as string[],
    calls: Number(row.calls),
    errors: Number(row.errors),
    totalMs: Number(row.total_ms),
    maxMs: Number(row.max_ms),
    rows: Number(row.rows),
    lastError: row.last_error === null ? null : String(row.last_error),
    firstSeen: new Date(row.first_seen as string),
    lastSeen: new Date(row.last_seen as string),
  }
}
