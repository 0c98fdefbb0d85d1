import { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely'
import pg from 'pg'
import { up } from '../../../migrations/2026_11_27_020_telemetry.ts'

/** Test-only: a migrated, throwaway database per backend (PGlite always, PostgreSQL when DATABASE_URL is set). */
export interface TestDb {
  name: string
  db: Kysely<any>
  stop(): Promise<void>
}

export type TestBackend = { name: string; open(): Promise<TestDb> }

async function openPglite(): Promise<TestDb> {
  const db = new Kysely<any>({ dialect: new PGliteDialect({ pglite: new PGlite() }) })
  await up(db)
  return { name: 'pglite', db, stop: () => db.destroy() }
}

async function openPostgres(adminUrl: string): Promise<TestDb> {
  const dbName = `phers_telemetry_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`create database ${dbName}`)
  const url = new URL(adminUrl)
  url.pathname = `/${dbName}`
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 })
  // `drop database ... with (force)` terminates clients still closing; that is expected, not a test failure.
  pool.on('error', () => {})
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) })
  await up(db)
  return {
    name: 'postgres',
    db,
    async stop() {
      await db.destroy()
      await admin.query(`drop database if exists ${dbName} with (force)`)
      await admin.end()
    },
  }
}

export function testBackends(): TestBackend[] {
  const url = process.env.DATABASE_URL
  const backends: TestBackend[] = [{ name: 'pglite', open: openPglite }]
  if (url) backends.push({ name: 'postgres', open: () => openPostgres(url) })
  else if (process.env.PHERS_REQUIRE_SERVICES === '1') throw new Error('DATABASE_URL is required when PHERS_REQUIRE_SERVICES=1')
  return backends
}
