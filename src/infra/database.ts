import { Kysely, PGliteDialect, PostgresDialect } from 'kysely'
import type { Logger } from 'pino'
import type { Config } from '../config.ts'
import { createPgliteBackend } from './pglite-backend.ts'
import { createPostgresBackend } from './postgres-backend.ts'
import type { QueryLog } from './query-log.ts'

export interface QueryResult<R> {
  rows: R[]
  fields: { name: string; dataTypeID: number }[]
  rowCount: number
}

export interface QueryOptions {
  /** Rows as arrays in column order instead of objects. */
  rowMode?: 'array' | 'object'
  /** Every value as the server's text form (no number/BigInt/Date parsing), so no precision is lost. */
  raw?: boolean
}

/** One connection inside one transaction, held for the duration of a `transaction()` callback. */
export interface DbSession {
  /** Kysely bound to this session's transaction. */
  db: Kysely<any>
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult<R>>
  /** Streams COPY FROM STDIN data (text format, UTF-8 bytes) produced by `chunks` into the statement `copy`. */
  copyFrom(copy: string, chunks: AsyncIterable<Uint8Array>): Promise<number>
  /** Asks the server to cancel the statement running on this session; PGlite cannot interrupt, so it no-ops. */
  cancel(): Promise<void>
}

export interface TransactionOptions {
  readOnly?: boolean
  /** End with ROLLBACK whatever happens (user SQL never commits anything). */
  alwaysRollback?: boolean
}

export interface Database {
  kind: 'pglite' | 'postgres'
  /** Pooled Kysely for catalog access outside explicit sessions. */
  db: Kysely<any>
  /** Name of the database (role names are derived from it, so several databases can share a cluster). */
  name: string
  /**
   * Runs `fn` in one transaction on one connection. Inside `fn`, use only `session` — on PGlite the single
   * session is locked for the duration, so touching `db` there would wait forever.
   */
  transaction<T>(fn: (session: DbSession) => Promise<T>, options?: TransactionOptions): Promise<T>
  /** Statements sent through the pooled `db` (lets tests prove DataLoader batching). */
  queryLog: QueryLog
  /** Connection pool figures for telemetry; PGlite has one session and reports null. */
  poolStats(): { total: number; idle: number; waiting: number } | null
  stop(): Promise<void>
}

export interface DatabaseDeps {
  config: Config['database']
  logger: Logger
  /** Max pool size on PostgreSQL. */
  poolSize?: number
}

/** Opens the configured backend: a pg Pool for DATABASE_URL, otherwise embedded PGlite under the data dir. */
export async function createDatabase({ config, logger, poolSize = 10 }: DatabaseDeps): Promise<Database> {
  if (config.kind === 'postgres') return createPostgresBackend({ url: config.url, logger, poolSize })
  return createPgliteBackend({ dataDir: config.dataDir, logger })
}

export { Kysely, PGliteDialect, PostgresDialect }
