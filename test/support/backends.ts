import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { loadConfig, type Config } from '../../src/config.ts'
import { createDatabaseRoles } from '../../src/features/auth/database-roles.ts'
import { Kysely, PostgresDialect } from 'kysely'

/** A database backend a test suite runs against, like Kysely's own suite loops over dialects. */
export interface Backend {
  name: 'pglite' | 'postgres'
  /** A fresh, empty database for one test app; `drop` removes it and the roles it created. */
  createDatabase(): Promise<{ database: Config['database']; drop(): Promise<void> }>
}

const env = loadConfig(process.env)

const pglite: Backend = {
  name: 'pglite',
  createDatabase: async () => ({ database: { kind: 'pglite', dataDir: null }, drop: async () => {} }),
}

function postgresBackend(adminUrl: string): Backend {
  return {
    name: 'postgres',
    async createDatabase() {
      const name = `phers_t_${randomBytes(6).toString('hex')}`
      const admin = new pg.Client({ connectionString: adminUrl })
      await admin.connect()
      await admin.query(`CREATE DATABASE ${name}`)
      await admin.end()
      const url = new URL(adminUrl)
      url.pathname = `/${name}`
      return {
        database: { kind: 'postgres', url: url.toString() },
        drop: async () => dropDatabase(adminUrl, name),
      }
    },
  }
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: adminUrl, max: 1 }) }) })
  try {
    const { sql } = await import('kysely')
    await sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(db)
    const roles = await createDatabaseRoles({ db, databaseName: name }).listRoles()
    for (const role of roles) await sql`DROP ROLE IF EXISTS ${sql.id(role)}`.execute(db)
  } finally {
    await db.destroy()
  }
}

/** PGlite always; real PostgreSQL when DATABASE_URL is set. With PHERS_REQUIRE_SERVICES=1 it must be set. */
export function backends(): Backend[] {
  if (env.database.kind === 'postgres') return [pglite, postgresBackend(env.database.url)]
  if (env.requireServices) throw new Error('PHERS_REQUIRE_SERVICES=1 but DATABASE_URL is not set')
  return [pglite]
}

/** The Redis URL for tests, or null (failing instead when services are required). */
export function testRedisUrl(): string | null {
  if (env.redisUrl) return env.redisUrl
  if (env.requireServices) throw new Error('PHERS_REQUIRE_SERVICES=1 but REDIS_URL is not set')
  return null
}

export const testEnv = env
