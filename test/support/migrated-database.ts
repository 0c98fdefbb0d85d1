import { pino, type Logger } from 'pino'
import { createDatabaseRoles, type DatabaseRoles } from '../../src/features/auth/database-roles.ts'
import { createDatabase, type Database } from '../../src/infra/database.ts'
import { migrateToLatest } from '../../src/infra/migrate.ts'
import type { Backend } from './backends.ts'

export interface MigratedDatabase {
  database: Database
  roles: DatabaseRoles
  logger: Logger
  /** Closes the connections and drops the database and its roles. */
  stop(): Promise<void>
}

/** A fresh database of the backend, migrated, with the base reader roles: what feature fixtures start from. */
export async function openMigratedDatabase(backend: Backend, options: { poolSize?: number } = {}): Promise<MigratedDatabase> {
  const created = await backend.createDatabase()
  const logger = pino({ level: 'silent' })
  const database = await createDatabase({ config: created.database, logger, ...(options.poolSize ? { poolSize: options.poolSize } : {}) })
  await migrateToLatest(database.db)
  const roles = createDatabaseRoles({ db: database.db, databaseName: database.name })
  await roles.ensureBase()
  return {
    database,
    roles,
    logger,
    stop: async () => {
      await database.stop()
      await created.drop()
    },
  }
}
