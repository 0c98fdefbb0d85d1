import { createHash } from 'node:crypto'
import { fingerprintSync } from 'libpg-query'
import type { Logger } from 'pino'
import type { Config } from '../../config.ts'
import { AppError, isAppError, type ErrorCode } from '../../errors.ts'
import type { Database, DbSession } from '../../infra/database.ts'
import type { DatabaseRoles } from '../auth/database-roles.ts'
import { roleAtLeast } from '../auth/viewer.ts'
import type { GuardedStatement } from './guarded-statement.ts'
import { readResult, type RawResult } from './read-result.ts'
import { matchRelations, type ResolveRelations, type VisibleDataset } from './relation-matcher.ts'
import { createResultPages } from './result-pages.ts'
import type { ResultSnapshotOptions } from './result-snapshots.ts'
import { convertRow } from './result-values.ts'
import { toSqlAppError } from './sql-errors.ts'
import type { CacheLoad, ResultCache, ResultCacheKey, SqlRequest, SqlResult, SqlRunner } from './sql-types.ts'
import { createStatementGuard, type StatementGuard } from './statement-guard.ts'
import { createTypeNames } from './type-names.ts'
import type { WorkloadRecorder } from './workload-recorder.ts'

/** Telemetry for every `run`, whatever its outcome (refused statements have no fingerprint). */
export interface StatementEvent {
  fingerprint: string | null
  sql: string
  source: SqlRequest['source']
  viewerId: string
  durationMs: number
  rows: number
  errorCode: ErrorCode | null
  cacheLevel: 'L1' | 'L2' | null
  datasetIds: string[]
}

export interface SqlExecutorDeps {
  database: Database
  roles: Pick<DatabaseRoles, 'readerFor'>
  resolveRelations: ResolveRelations
  /** When given, first pages go through it (later pages are served from the in-process snapshot). */
  cache?: ResultCache
  onStatement?: (event: StatementEvent) => void
  workload: Pick<WorkloadRecorder, 'record'>
  logger: Logger
  limits: Config['sql']
  /** Where later pages come from; defaults: 64 MiB, 10 minutes. */
  snapshots?: ResultSnapshotOptions
  /** HMAC key for page cursors; default random per process. */
  cursorSecret?: string
  /**
   * TEST ONLY: switch layers off to prove the others hold on their own. `skipGuard` sends the text unchecked
   * (no dataset resolution, no cursor wrapping); `readWrite` drops READ ONLY so only the role stands in the way.
   */
  unsafe?: { skipGuard?: boolean; readWrite?: boolean }
}

export interface SqlExecutor extends SqlRunner {
  stop(): void
}

/** guard → resolve datasets → (cache) → reader transaction → cursor with a row cap → convert → record. */
export function createSqlExecutor(deps: SqlExecutorDeps): SqlExecutor {
  const { database, limits, logger, unsafe = {} } = deps
  const guardReady = createStatementGuard()
  const typeNames = createTypeNames({ db: database.db })
  const pages = createResultPages({ snapshots: deps.snapshots, cursorSecret: deps.cursorSecret })

  async function run(request: SqlRequest): Promise<SqlResult> {
    const started = performance.now()
    const trace = { fingerprint: null as string | null, datasets: [] as VisibleDataset[], rows: 0, cacheLevel: null as SqlResult['cacheLevel'] }
    const emit = (errorCode: ErrorCode | null) =>
      deps.onStatement?.({
        fingerprint: trace.fingerprint, sql: request.sql, source: request.source, viewerId: request.viewer.id,
        durationMs: performance.now() - started, rows: trace.rows, errorCode, cacheLevel: trace.cacheLevel,
        datasetIds: trace.datasets.map((d) => d.id),
      })
    try {
      const result = await runChecked(request, trace)
      trace.rows = result.rows.length
      trace.cacheLevel = result.cacheLevel
      emit(null)
      return result
    } catch (error) {
      emit(isAppError(error) ? error.code : 'INTERNAL')
      throw error
    }
  }

  async function runChecked(request: SqlRequest, trace: { fingerprint: string | null; datasets: VisibleDataset[] }): Promise<SqlResult> {
    const first = pageSize(request.first)
    const params = request.params ?? []
    const guard = await guardReady
    const statement = unsafe.skipGuard
      ? unguarded(request.sql)
      : guard.check(request.sql, { params: params.length, admin: roleAtLeast(request.viewer, 'ADMIN'), embedded: database.kind === 'pglite', maxResultRows: limits.maxResultRows })
    trace.fingerprint = statement.fingerprint
    if (request.after) return pages.nextPage(request.after, request.viewer.id, identityOf(statement, params), first)
    const reader = await deps.roles.readerFor(request.viewer)
    const names = [...new Set(statement.relations.map((r) => r.name))]
    const visible = names.length === 0 ? [] : await deps.resolveRelations(request.viewer, names)
    const datasets = matchRelations(statement.relations, visible, reader.searchPath)
    trace.datasets = datasets
    // The page identity is hashed only when the statement runs: a cache hit does not need it.
    const load = () => execute({ request, statement, params, first, reader, datasets, identity: identityOf(statement, params), guard })
    if (!deps.cache) return (await load()).result
    const key: ResultCacheKey & { shape: string } = {
      fingerprint: statement.fingerprint, shape: statement.shape, constants: statement.constants, params,
      page: { first, after: null }, datasets: datasets.map((d) => ({ id: d.id, version: d.version })), scope: request.viewer.id,
    }
    const { result, level } = await deps.cache.getOrLoad(key, load)
    return { ...result, cached: level !== null, cacheLevel: level }
  }

  interface Execution {
    request: SqlRequest
    statement: GuardedStatement
    params: readonly unknown[]
    first: number
    reader: { role: string; searchPath: string[] }
    datasets: VisibleDataset[]
    identity: string
    guard: StatementGuard
  }

  async function execute(x: Execution): Promise<CacheLoad> {
    const started = performance.now()
    const signal = x.request.signal
    const record = (rows: number, errorCode: string | null) =>
      deps.workload.record({
        fingerprint: x.statement.fingerprint, scope: x.request.viewer.id, sql: x.request.sql, params: x.params,
        datasetIds: x.datasets.map((d) => d.id), durationMs: performance.now() - started, rows, errorCode,
      })
    try {
      if (signal?.aborted) throw new AppError('SQL_TIMEOUT', 'The query was cancelled because the request ended')
      await typeNames.ready()
      const fetched = await database.transaction((session) => withCancel(session, signal, () => readRows(session, x)), {
        readOnly: !unsafe.readWrite,
        alwaysRollback: true,
      })
      const result = present(x, fetched, performance.now() - started)
      record(fetched.rows.length, null)
      return { result, cacheable: !result.pageInfo.hasNextPage }
    } catch (error) {
      const mapped = toSqlAppError(error, { timeoutMs: limits.statementTimeoutMs, cancelled: signal?.aborted ?? false })
      record(0, isAppError(mapped) ? mapped.code : 'INTERNAL')
      throw mapped
    }
  }

  function readRows(session: DbSession, x: Execution): Promise<RawResult> {
    return readResult(session, {
      text: x.statement.text,
      params: x.params,
      reader: { ...x.reader, statementTimeoutMs: limits.statementTimeoutMs, workMem: limits.workMem },
      first: x.first,
      maxRows: limits.maxResultRows,
      maxCost: database.kind === 'pglite' ? limits.embeddedMaxCost : null,
      checkWrapped: unsafe.skipGuard ? null : (text) => x.guard.checkWrapped(text, 'DeclareCursorStmt'),
    })
  }

  function present(x: Execution, raw: RawResult, durationMs: number): SqlResult {
    const oids = raw.fields.map((f) => f.dataTypeID)
    return pages.firstPage({
      scope: x.request.viewer.id, identity: x.identity, fingerprint: x.statement.fingerprint, durationMs,
      columns: raw.fields.map((f) => ({ name: f.name, type: typeNames.nameOf(f.dataTypeID) })),
      rows: raw.rows.map((row) => convertRow(row, oids)),
      datasets: x.datasets.map((d) => ({ id: d.id, tableName: d.tableName, version: d.version })),
    }, x.first)
  }

  function pageSize(first: number | null | undefined): number {
    if (first === null || first === undefined) return limits.pageRows
    if (!Number.isInteger(first) || first < 1 || first > limits.maxPageRows) {
      throw new AppError('BAD_INPUT', `first must be an integer from 1 to ${limits.maxPageRows}`)
    }
    return first
  }

  async function withCancel<T>(session: DbSession, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    // Cancels the running statement when the client goes away (a no-op on PGlite, which cannot interrupt).
    const cancel = () => void session.cancel().catch((error: unknown) => logger.warn({ err: error }, 'cancelling a query failed'))
    signal?.addEventListener('abort', cancel, { once: true })
    try {
      return await work()
    } finally {
      signal?.removeEventListener('abort', cancel)
    }
  }

  return { run, stop: () => pages.stop() }
}

/** What a later page must match: the same statement shape, constants and parameters. */
function identityOf(statement: GuardedStatement, params: readonly unknown[]): string {
  const json = JSON.stringify([statement.shape, statement.constants, params], (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
  return createHash('sha256').update(json).digest('base64url')
}

/** The test-only unguarded path still needs a fingerprint for the workload record. */
function unguarded(sqlText: string): GuardedStatement {
  let fingerprint = ''
  try {
    fingerprint = fingerprintSync(sqlText)
  } catch {
    fingerprint = createHash('sha256').update(sqlText).digest('hex').slice(0, 16)
  }
  return { fingerprint, shape: fingerprint, constants: [], relations: [], maxParam: 0, recursive: false, text: sqlText }
}
