import type { DbSession } from '../../infra/database.ts'

export interface ReaderSettings {
  role: string
  searchPath: readonly string[]
  statementTimeoutMs: number
  workMem: string
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`

/**
 * Pins the transaction to the reader role and a fixed environment before user SQL runs. Everything is LOCAL,
 * so it ends with the transaction. `pg_catalog` is listed last explicitly so a dataset named like a catalog
 * table wins over it (when absent it is searched first), and `pg_temp` last so no temporary object shadows
 * anything. Output settings are fixed because the result (and its cache entry) must not depend on the session.
 * `standard_conforming_strings` is forced on because the guard parsed the text with it on: with it off,
 * backslashes would make the server read a different statement than the guard checked.
 */
export async function enterReaderSession(session: DbSession, settings: ReaderSettings): Promise<void> {
  const searchPath = [...settings.searchPath.map(quoteIdent), 'pg_catalog', 'pg_temp'].join(', ')
  const values: [string, string][] = [
    ['statement_timeout', String(settings.statementTimeoutMs)],
    ['work_mem', settings.workMem],
    ['search_path', searchPath],
    ['standard_conforming_strings', 'on'],
    ['DateStyle', 'ISO, YMD'],
    ['IntervalStyle', 'postgres'],
    ['TimeZone', 'UTC'],
    ['extra_float_digits', '1'],
    // The cursor is drained completely, so plan for the whole result, not the first 10 %.
    ['cursor_tuple_fraction', '1'],
  ]
  const calls = values.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')
  await session.query(`SELECT ${calls}`, values.flat())
  await session.query(`SET LOCAL ROLE ${quoteIdent(settings.role)}`)
}
