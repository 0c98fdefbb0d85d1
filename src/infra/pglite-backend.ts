import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { PGlite, types } from '@electric-sql/pglite'
import { Kysely, PGliteDialect } from 'kysely'
import type { Logger } from 'pino'
import { createQueryLog } from './query-log.ts'
import type { Database, DbSession, QueryOptions, QueryResult, TransactionOptions } from './database.ts'

type Queryable = Pick<PGlite, 'query'>

const keepText = (value: string) => value

/**
 * PGlite parses some types itself (int8 → number, arrays → JS arrays); for user results every value must stay
 * text. Its parser table has no wildcard, so every type oid of the database gets the identity parser.
 */
let rawParsers: Record<number, (value: string) => string> = Object.fromEntries(
  [...Object.keys(types.parsers), ...Object.values(types).filter((v) => typeof v === 'number')].map((oid) => [Number(oid), keepText]),
)

async function loadRawParsers(pglite: PGlite): Promise<void> {
  const { rows } = await pglite.query<{ oid: number }>('SELECT oid::int AS oid FROM pg_type')
  rawParsers = { ...rawParsers, ...Object.fromEntries(rows.map((r) => [r.oid, keepText])) }
}

async function runQuery<R>(
  target: Queryable,
  text: string,
  params: readonly unknown[] = [],
  options: QueryOptions = {},
): Promise<QueryResult<R>> {
  const result = await target.query<R>(text, [...params], {
    rowMode: options.rowMode ?? 'object',
    ...(options.raw ? { parsers: rawParsers } : {}),
  })
  return { rows: result.rows, fields: result.fields, rowCount: result.affectedRows ?? result.rows.length }
}

/** A Kysely instance that runs on one PGlite transaction (Kysely's own PGlite driver would wait for the lock). */
function kyselyOn(tx: Queryable): Kysely<any> {
  const shim = {
    query: tx.query.bind(tx),
    transaction: <T>(fn: (t: Queryable) => Promise<T>) => fn(tx),
    ready: true,
    closed: false,
    waitReady: Promise.resolve(),
    close: async () => {},
  }
  return new Kysely({ dialect: new PGliteDialect({ pglite: shim as never }) })
}

/** COPY chunks are gathered up to this size, then sent as one blob: bounded memory, few round trips. */
const COPY_CHUNK_BYTES = 8 * 1024 * 1024

async function copyInChunks(tx: Queryable, copy: string, chunks: AsyncIterable<Uint8Array>): Promise<number> {
  let parts: Uint8Array[] = []
  let size = 0
  let total = 0
  const flush = async () => {
    if (size === 0) return
    const result = await tx.query(copy.replace(/FROM\s+STDIN/i, "FROM '/dev/blob'"), [], {
      // Transferred buffers are never shared ones.
      blob: new Blob(parts as BlobPart[]),
    })
    total += result.affectedRows ?? 0
    parts = []
    size = 0
  }
  for await (const chunk of chunks) {
    parts.push(chunk)
    size += chunk.length
    if (size >= COPY_CHUNK_BYTES) await flush()
  }
  await flush()
  return total
}

function sessionOn(tx: Queryable): DbSession {
  return {
    db: kyselyOn(tx),
    query: (text, params, options) => runQuery(tx, text, params, options),
    copyFrom: (copy, chunks) => copyInChunks(tx, copy, chunks),
    cancel: async () => {},
  }
}

export async function createPgliteBackend({
  dataDir,
  logger,
}: {
  dataDir: string | null
  logger: Logger
}): Promise<Database> {
  let location: string | undefined
  if (dataDir) {
    location = path.resolve(dataDir, 'pgdata')
    await mkdir(location, { recursive: true })
  }
  const pglite = await PGlite.create(location)
  await loadRawParsers(pglite)
  logger.info({ dataDir: location ?? 'memory' }, 'embedded PGlite database ready')
  const queryLog = createQueryLog()
  const db = new Kysely<any>({ dialect: new PGliteDialect({ pglite }), log: queryLog.record })

  async function transaction<T>(fn: (s: DbSession) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    let result: T | undefined
    let failure: unknown
    let failed = false
    await pglite.transaction(async (tx) => {
      if (options.readOnly) await tx.query('SET TRANSACTION READ ONLY')
      try {
        result = await fn(sessionOn(tx))
      } catch (error) {
        failed = true
        failure = error
      }
      if (failed || options.alwaysRollback) await tx.rollback()
    })
    // Session state (prepared statements, advisory locks) survives ROLLBACK; user SQL ran here, so reset it.
    if (options.alwaysRollback) await pglite.exec('DISCARD ALL')
    if (failed) throw failure
    return result as T
  }

  return {
    kind: 'pglite',
    db,
    name: 'postgres',
    transaction,
    queryLog,
    poolStats: () => null,
    stop: async () => {
      await db.destroy()
    },
  }
}
