import { sql } from 'kysely'
import { pino } from 'pino'
import { columnStats } from '../../src/features/datasets/column-stats.ts'
import type { ColumnType } from '../../src/features/datasets/dataset-types.ts'
import { createDatabase } from '../../src/infra/database.ts'
import { quoteIdent } from '../../src/infra/quote-ident.ts'
import type { UploadedDataset } from './graphql-upload-file.ts'
import { runCommand } from './run-command.ts'

type Column = UploadedDataset['columns'][number]

/** The numeric date order the floor's session reads (`MM/DD/YYYY` → MDY), from the first all-numeric date column. */
const numericDateOrder = (format: string | null) => (format && /^(MM|DD)\W/.test(format) ? (format.startsWith('MM') ? 'MDY' : 'DMY') : null)

/**
 * The type PostgreSQL's own CSV input can give a column straight from the file's text: the inferred one when
 * PostgreSQL reads that spelling natively (plain numbers, ISO and month-name dates, numeric dates in the session's
 * order, true/false/yes/no, ISO timestamps), else text — money, `12%` and decimal commas need PHERS's conversion,
 * so the floor leaves that work out and stays a lower bound.
 */
function nativeType(column: Column, dateOrder: string | null): ColumnType {
  const { format } = column.inference
  // The API reports PostgreSQL type names, which are exactly the ColumnType values.
  const type = column.inference.type as ColumnType
  if (type === 'text' || type === 'boolean' || type === 'timestamp' || type === 'timestamptz') return type
  if (type === 'date') {
    const order = numericDateOrder(format)
    return order === null || order === dateOrder ? type : 'text'
  }
  return format === null ? type : 'text'
}

export interface PostgresFloor {
  ms: number
  copyMs: number
  analyzeMs: number
  statsMs: number
  /** Columns the floor loaded as text because PostgreSQL cannot read their spelling. */
  asText: string[]
}

/**
 * PostgreSQL's share of a PHERS upload with no JavaScript at all: `psql \copy` parses the file into the
 * dataset's column types (without PHERS's `_row` ordinal: a lower bound), then ANALYZE and PHERS's own
 * column-statistics query (`columnStats`). An upload cannot be faster than this, so psql's time over it is the best ratio any
 * implementation doing PHERS's database work can reach on this machine.
 */
export async function postgresFloor(url: string, file: string, columns: Column[], rowCount: number): Promise<PostgresFloor> {
  const table = 'postgres_floor'
  const dateOrder = columns.map((c) => numericDateOrder(c.inference.format)).find((o) => o !== null) ?? 'MDY'
  const types = columns.map((c) => nativeType(c, dateOrder))
  const database = await createDatabase({ config: { kind: 'postgres', url }, logger: pino({ level: 'warn' }) })
  try {
    const defs = columns.map((c, i) => sql`${sql.id(c.name)} ${sql.raw(types[i]!)}`)
    await sql`CREATE TABLE ${sql.table(table)} (${sql.join(defs)})`.execute(database.db)
    const list = columns.map((c) => quoteIdent(c.name)).join(', ')
    const started = performance.now()
    await runCommand('psql', [url, '-q', '-v', 'ON_ERROR_STOP=1', '-c', `SET DateStyle = 'ISO, ${dateOrder}'`, '-c', `\\copy ${table} (${list}) FROM '${file}' WITH (FORMAT csv, HEADER true)`])
    const copied = performance.now()
    const analyzed = await database.transaction(async (session) => {
      await sql`ANALYZE ${sql.table(table)}`.execute(session.db)
      const at = performance.now()
      await columnStats(session, 'public', table, columns.map((c, i) => ({ name: c.name, type: types[i]! })), rowCount)
      return at
    })
    const done = performance.now()
    return {
      ms: done - started,
      copyMs: copied - started,
      analyzeMs: analyzed - copied,
      statsMs: done - analyzed,
      asText: columns.filter((_, i) => types[i] === 'text' && columns[i]!.type !== 'text').map((c) => c.name),
    }
  } finally {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(database.db).catch(() => undefined)
    await database.stop()
  }
}
