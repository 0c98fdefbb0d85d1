import { sql } from 'kysely'
import type { Logger } from 'pino'
import { AppError } from '../../errors.ts'
import type { DbSession } from '../../infra/database.ts'
import { ROW_COLUMN, toColumnNames } from './column-names.ts'
import { copyEncoder, type CopyEncoder } from './copy-encoder.ts'
import type { CsvSpool } from './csv-spool.ts'
import type { ColumnInference } from './dataset-types.ts'
import { createColumnInference } from './infer-column-type.ts'
import { rereadCsv, type OpenCsv } from './open-csv.ts'
import { underSavepoint } from './savepoint.ts'
import { castTo, conversionSql } from './type-conversion.ts'

export interface LoadedColumn {
  name: string
  originalName: string
  inference: ColumnInference
}

export interface LoadCsvTableOptions {
  session: DbSession
  csv: OpenCsv
  /** Holds every text chunk `csv` parsed; read back when the first load has to be redone. */
  spool: CsvSpool
  schema: string
  table: string
  logger: Logger
  /** PostgreSQL allows 1600 columns per table; one is `_row`. */
  maxColumns?: number
  signal?: AbortSignal
  onRows?: (rowsRead: number) => void
}

type Batches = AsyncIterator<string[][]>

const sameReading = (a: ColumnInference, b: ColumnInference) =>
  a.type === b.type && (a.type === 'boolean' || a.format === b.format)

/**
 * Loads the CSV into `schema.table` (typed columns plus the `_row` ordinal) with one COPY in the common case.
 * Types are first guessed from the first chunk and the table created with them; every later cell still goes
 * through inference. If the full inference ends up differing (a late `N/A`, a later `13/01/2021`), the load is
 * rolled back to a savepoint and redone from the spool with the final types. Values reach COPY already in
 * PostgreSQL's canonical form (`copyEncoder`), so no table rewrite is needed afterwards.
 */
export async function loadCsvTable(options: LoadCsvTableOptions): Promise<{ columns: LoadedColumn[]; rowCount: number }> {
  const { session, csv, logger, table } = options
  const maxColumns = options.maxColumns ?? 1599
  if (csv.headers.length > maxColumns) throw new AppError('BAD_CSV', `line 1: the header has ${csv.headers.length} columns, at most ${maxColumns} are supported`)
  const names = await toColumnNames(csv.headers)
  const inferences = names.map(() => createColumnInference())
  const current = () => inferences.map((i) => i.result().inference)
  const batches = csv.batches as Batches
  let rowCount = 0
  const observe = (batch: string[][]) => {
    for (const record of batch) for (let i = 0; i < record.length; i++) inferences[i]!.observe(record[i]!)
    rowCount += batch.length
    options.onRows?.(rowCount)
  }

  const first = await batches.next()
  if (!first.done) observe(first.value)
  const guessed = current()
  let diverged = false
  async function* agreeing(): AsyncGenerator<string[][]> {
    if (!first.done) yield first.value
    for (let next = await batches.next(); !next.done; next = await batches.next()) {
      options.signal?.throwIfAborted()
      observe(next.value)
      // A batch goes to COPY only while every column still reads the way the table was created.
      if (!diverged && current().every((c, i) => sameReading(c, guessed[i]!))) yield next.value
      else diverged = true
    }
  }

  const started = performance.now()
  const firstLoad = await underSavepoint(session, () => copyLoad(options, names, guessed, agreeing()))
  if (firstLoad && !isDataError(firstLoad)) throw firstLoad
  // Whatever stopped the first COPY early, the rest of the file must still be read (inferred and spooled).
  for (let next = await batches.next(); !next.done; next = await batches.next()) observe(next.value)
  const final = current()
  const columns = names.map((name, i) => ({ name, originalName: csv.headers[i]!, inference: final[i]! }))
  let failure = firstLoad
  const redo = failure === null && (diverged || final.some((c, i) => !sameReading(c, guessed[i]!)))
  if (redo) failure = await underSavepoint(session, () => copyLoad(options, names, final, respooled(options)))
  if (failure && !isDataError(failure)) throw failure
  if (failure) {
    logger.warn({ err: failure, table }, 'typed COPY failed; loading as text and converting in SQL')
    await copyLoad(options, names, final.map((c) => ({ ...c, type: 'text' as const })), respooled(options))
    await convertColumns(options, columns)
  }
  logger.debug({ table, rowCount, redo, textFallback: failure !== null, ms: Math.round(performance.now() - started) }, 'csv loaded')
  await sql`ANALYZE ${sql.table(`${options.schema}.${table}`)}`.execute(session.db)
  return { columns, rowCount }
}

async function* respooled(options: LoadCsvTableOptions): AsyncGenerator<string[][]> {
  yield* rereadCsv(await options.spool.chunks(), options.csv.delimiter)
}

async function copyLoad(options: LoadCsvTableOptions, names: string[], types: ColumnInference[], batches: AsyncIterable<string[][]>): Promise<void> {
  const { session } = options
  const target = sql.table(`${options.schema}.${options.table}`)
  const defs = names.map((n, i) => sql`${sql.id(n)} ${castTo(types[i]!.type)}`)
  // The load table's name is unique to this upload: a previous attempt's table is ours to replace.
  await sql`DROP TABLE IF EXISTS ${target}`.execute(session.db)
  await sql`CREATE TABLE ${target} (${sql.id(ROW_COLUMN)} bigint NOT NULL, ${sql.join(defs)})`.execute(session.db)
  const encoders = types.map(copyEncoder)
  const copy = sql`COPY ${target} (${sql.join([ROW_COLUMN, ...names].map((n) => sql.id(n)))}) FROM STDIN`.compile(session.db)
  await session.copyFrom(copy.sql, copyText(batches, encoders))
}

async function* copyText(batches: AsyncIterable<string[][]>, encoders: CopyEncoder[]): AsyncGenerator<string> {
  let row = 0
  const width = encoders.length
  for await (const batch of batches) {
    const lines: string[] = new Array(batch.length)
    for (let r = 0; r < batch.length; r++) {
      const record = batch[r]!
      for (let i = 0; i < width; i++) record[i] = encoders[i]!(record[i]!)
      lines[r] = `${++row}\t${record.join('\t')}`
    }
    yield `${lines.join('\n')}\n`
  }
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
