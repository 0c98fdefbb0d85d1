import { sql } from 'kysely'
import type { Logger } from 'pino'
import { AppError } from '../../errors.ts'
import type { DbSession } from '../../infra/database.ts'
import { ROW_COLUMN, toColumnNames } from './column-names.ts'
import type { CsvLoader } from './csv-loader.ts'
import type { ColumnInference } from './dataset-types.ts'
import { underSavepoint } from './savepoint.ts'
import { castTo, conversionSql } from './type-conversion.ts'

export interface LoadedColumn {
  name: string
  originalName: string
  inference: ColumnInference
}

export interface LoadCsvTableOptions {
  session: DbSession
  /** The upload, parsed, inferred and encoded in a worker; read again (or from its spool) for a redo. */
  csv: CsvLoader
  schema: string
  table: string
  logger: Logger
  /** PostgreSQL allows 1600 columns per table; one is `_row`. */
  maxColumns?: number
}

/**
 * Loads the CSV into `schema.table` (typed columns plus the `_row` ordinal) with one COPY in the common case.
 * Types are first guessed from the first batch and the table created with them; every later cell still goes
 * through inference (in the loader's worker, while this COPY streams). If the full inference ends up differing
 * (a late `N/A`, a later `13/01/2021`), the load is rolled back to a savepoint and redone with the final types
 * from the upload read again (or its spool). Values reach COPY already in PostgreSQL's canonical form
 * (`copyEncoder`), so no table rewrite is needed afterwards.
 */
export async function loadCsvTable(options: LoadCsvTableOptions): Promise<{ columns: LoadedColumn[]; rowCount: number }> {
  const { session, csv, logger, table } = options
  const maxColumns = options.maxColumns ?? 1599
  if (csv.headers.length > maxColumns) throw new AppError('BAD_CSV', `line 1: the header has ${csv.headers.length} columns, at most ${maxColumns} are supported`)
  const names = await toColumnNames(csv.headers)
  const guessed = await csv.guessed()

  const started = performance.now()
  const firstLoad = await underSavepoint(session, () => copyLoad(options, names, guessed, csv.copyText(guessed)))
  if (firstLoad && !isDataError(firstLoad)) throw firstLoad
  // Whatever stopped the first COPY early, the worker still reads (and infers) the rest of the file.
  const { inferences: final, rowCount, diverged } = await csv.finished()
  const columns = names.map((name, i) => ({ name, originalName: csv.headers[i]!, inference: final[i]! }))
  let failure = firstLoad
  const redo = failure === null && diverged
  if (redo) failure = await underSavepoint(session, () => copyLoad(options, names, final, csv.reencoded(final)))
  if (failure && !isDataError(failure)) throw failure
  if (failure) {
    logger.warn({ err: failure, table }, 'typed COPY failed; loading as text and converting in SQL')
    const asText = final.map((c) => ({ ...c, type: 'text' as const }))
    await copyLoad(options, names, asText, csv.reencoded(asText))
    await convertColumns(options, columns)
  }
  const loadedMs = performance.now() - started
  await sql`ANALYZE ${sql.table(`${options.schema}.${table}`)}`.execute(session.db)
  logger.debug({ table, rowCount, redo, textFallback: failure !== null, loadMs: Math.round(loadedMs), analyzeMs: Math.round(performance.now() - started - loadedMs) }, 'csv loaded')
  return { columns, rowCount }
}

async function copyLoad(options: LoadCsvTableOptions, names: string[], types: ColumnInference[], text: AsyncIterable<Uint8Array>): Promise<void> {
  const { session } = options
  const target = sql.table(`${options.schema}.${options.table}`)
  const defs = names.map((n, i) => sql`${sql.id(n)} ${castTo(types[i]!.type)}`)
  // The load table's name is unique to this upload: a previous attempt's table is ours to replace.
  await sql`DROP TABLE IF EXISTS ${target}`.execute(session.db)
  await sql`CREATE TABLE ${target} (${sql.id(ROW_COLUMN)} bigint NOT NULL, ${sql.join(defs)})`.execute(session.db)
  const copy = sql`COPY ${target} (${sql.join([ROW_COLUMN, ...names].map((n) => sql.id(n)))}) FROM STDIN`.compile(session.db)
  await session.copyFrom(copy.sql, text)
}

/** A COPY rejected a value (22xxx): an encoder disagreed with PostgreSQL, not a broken upload. */
const isDataError = (error: Error) => ((error as { code?: string }).code ?? '').startsWith('22')

/**
 * Safety net after a text-only reload: all conversions in one ALTER; if that fails too, column by column, and
 * the columns that still fail stay text with the database's reason recorded, instead of failing the upload.
 */
async function convertColumns(options: LoadCsvTableOptions, columns: LoadedColumn[]): Promise<void> {
  const { session, schema, table } = options
  const typed = columns.filter((c) => c.inference.type !== 'text')
  if (typed.length === 0) return
  const target = sql.table(`${schema}.${table}`)
  const alter = (list: LoadedColumn[]) =>
    sql`ALTER TABLE ${target} ${sql.join(list.map((c) => sql`ALTER COLUMN ${sql.id(c.name)} TYPE ${castTo(c.inference.type)} USING ${conversionSql(sql.id(c.name), c.inference.type, c.inference.format)}`))}`.execute(session.db)
  const failure = await underSavepoint(session, () => alter(typed))
  if (!failure) return
  options.logger.warn({ err: failure, table }, 'column conversion failed; retrying column by column')
  for (const column of typed) {
    const error = await underSavepoint(session, () => alter([column]))
    if (error) column.inference = { ...column.inference, type: 'text', confidence: 0, format: null, examplesRejected: [error.message] }
  }
}
