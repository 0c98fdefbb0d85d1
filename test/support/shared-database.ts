import type { Backend } from './backends.ts'

/**
 * One database of `backend` that several test apps open (`startTestApp(shared.backend, …)` any number of
 * times): their own `stop()` leaves it in place, `drop()` removes it once every app has stopped. Only real
 * PostgreSQL can be shared this way; two PGlite instances never see each other's data.
 */
export async function sharedDatabase(backend: Backend): Promise<{ backend: Backend; drop(): Promise<void> }> {
  if (backend.name !== 'postgres') throw new Error('only a PostgreSQL database can be shared between app instances')
  const { database, drop } = await backend.createDatabase()
  return {
    backend: { name: backend.name, createDatabase: async () => ({ database, drop: async () => {} }) },
    drop,
  }
}
