import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { from as copyFromStdin } from 'pg-copy-streams'
import type { Logger } from 'pino'
import { createQueryLog } from './query-log.ts'
import type { Database, DbSession, QueryOptions, QueryResult, TransactionOptions } from './database.ts'

const rawTypes = { getTypeParser: () => (value: string) => value }

async function runQuery<R>(
  client: pg.PoolClient,
  text: string,
  params: readonly unknown[] = [],
  options: QueryOptions = {},
): Promise<QueryResult<R>> {
  const result = await client.query({
    text,
    values: [...params],
    ...(options.rowMode === 'array' ? { rowMode: 'array' } : {}),
    ...(options.raw ? { types: rawTypes } : {}),
  } as pg.QueryConfig)
  return {
    rows: result.rows as R[],
    fields: result.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
    rowCount: result.rowCount ?? result.rows.length,
  }
}

/** A Kysely instance on one checked-out client: its "pool" always hands out that client and never releases it. */
function kyselyOn(client: pg.PoolClient): Kysely<any> {
  const single = {
    connect: async () =>
      new Proxy(client, {
        get: (target, key) => {
          if (key === 'release') return () => {}
          const value = Reflect.get(target, key, target)
          return typeof value === 'function' ? value.bind(target) : value
        },
      }),
    end: async () => {},
  }
  return new Kysely({ dialect: new PostgresDialect({ pool: single as never }) })
}

async function copyFrom(client: pg.PoolClient, copy: string, chunks: AsyncIterable<Uint8Array>): Promise<number> {
  const stream = client.query(copyFromStdin(copy))
  await pipeline(Readable.from(chunks), stream)
  return Number(stream.rowCount ?? 0)
}

export async function createPostgresBackend({
  url,
  logger,
  poolSize,
}: {
  url: string
  logger: Logger
  poolSize: number
}): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize })
  // A backend killed from outside (pg_terminate_backend, restart) must never crash the process.
  pool.on('error', (error) => logger.warn({ err: error }, 'idle PostgreSQL connection failed'))
  pool.on('connect', (client) => {
    client.on('error', (error) => logger.warn({ err: error }, 'PostgreSQL connection failed'))
  })
  const queryLog = createQueryLog()
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }), log: queryLog.record })
  const name = (await pool.query<{ db: string }>('SELECT current_database() AS db')).rows[0]!.db

  function sessionOn(client: pg.PoolClient): DbSession {
    const pid = (client as unknown as { processID: number }).processID
    return {
      db: kyselyOn(client),
      query: (text, params, options) => runQuery(client, text, params, options),
      copyFrom: (copy, chunks) => copyFrom(client, copy, chunks),
      cancel: async () => {
        await pool.query('SELECT pg_cancel_backend($1)', [pid])
      },
    }
  }

  async function transaction<T>(fn: (s: DbSession) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const client = await pool.connect()
    let broken: Error | undefined
    try {
      await client.query(options.readOnly ? 'BEGIN READ ONLY' : 'BEGIN')
      const result = await fn(sessionOn(client))
      await client.query(options.alwaysRollback ? 'ROLLBACK' : 'COMMIT')
      return result
    } catch (error) {
      await client.query('ROLLBACK').catch((e: Error) => (broken = e))
      throw error
    } finally {
      // Advisory locks and prepared statements survive ROLLBACK: reset before the connection is reused.
      if (!broken && options.alwaysRollback) await client.query('DISCARD ALL').catch((e: Error) => (broken = e))
      client.release(broken)
    }
  }

  return {
    kind: 'postgres',
    db,
    name,
    transaction,
    queryLog,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    stop: async () => {
      await db.destroy()
    },
  }
}
