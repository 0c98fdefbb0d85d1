import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql, type Kysely } from 'kysely'
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely/migration'
import { pathToFileURL } from 'node:url'

const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations')

/**
 * Like Kysely's FileMigrationProvider, but the `import()` lives in our code so test runners that transform
 * TypeScript (vitest) load `.ts` migrations too.
 */
const migrationFolderProvider: MigrationProvider = {
  async getMigrations() {
    const files = (await fs.readdir(MIGRATIONS_DIR)).filter((f) => /\.(ts|js|mjs)$/.test(f) && !f.endsWith('.d.ts')).sort()
    const entries = await Promise.all(
      files.map(async (file) => [file.replace(/\.[^.]+$/, ''), (await import(pathToFileURL(path.join(MIGRATIONS_DIR, file)).href)) as Migration] as const),
    )
    return Object.fromEntries(entries)
  },
}

function migratorFor(db: Kysely<any>): Migrator {
  return new Migrator({
    db,
    provider: migrationFolderProvider,
    migrationTableSchema: 'phers',
    // Features add their migrations independently; their names sort by date then feature number.
    allowUnorderedMigrations: true,
  })
}

/** Brings the catalog schema to the latest migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  await sql`CREATE SCHEMA IF NOT EXISTS phers`.execute(db)
  const result = await migratorFor(db).migrateToLatest()
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')
    const error = new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${String(result.error)}`)
    throw Object.assign(error, { cause: result.error })
  }
  return result
}

/** True when every migration in the folder has been applied (used by GET /ready). */
export async function migrationsApplied(db: Kysely<any>): Promise<boolean> {
  const migrations = await migratorFor(db).getMigrations()
  return migrations.every((m) => m.executedAt !== undefined)
}
