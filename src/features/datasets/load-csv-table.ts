import { sql } from 'kysely'
import type { Logger } from 'pino'
import { AppError } from '../../errors.ts'
import type { DbSession } from '../../infra/database.ts'
import { ROW_COLUMN, toColumnNames } from './column-names.ts'
import { copyTextValue } from './copy-text.ts'
import type { ColumnInference } from './dataset-types.ts'
import { createColumnInference } from './infer-column-type.ts'
import type { OpenCsv } from './open-csv.ts'
import { conversionSql, castTo } from './type-conversion.ts'

export interface LoadedColumn {
  name: string
  originalName: string
  inference: ColumnInference
}

export interface LoadCsvTableOptions {
  session: DbSession
  csv: OpenCsv
  schema: string
  table: string
  logger: Logger
  /** PostgreSQL allows 1600 columns per table; one is `_row`. */
  maxColumns?: number
  signal?: AbortSignal
  onRows?: (rowsRead: number) => void
}

/**
 * Creates `schema.table` with every column as text plus the `_row` ordinal, streams the records in with COPY
 * while inferring each column's type over every cell, then converts all typed columns in one ALTER TABLE (a
 * single table rewrite) and ANALYZEs. One pass over the upload, memory bounded by one decoded chunk.
 */
export async function loadCsvTable(options: LoadCsvTableOptions): Promise<{ columns: LoadedColumn[]; rowCount: number }> {
  const { session, csv, schema, table } = options
  const maxColumns = options.maxColumns ?? 1599
  if (csv.headers.length > maxColumns) throw new AppError('BAD_CSV', `line 1: the header has ${csv.headers.length} columns, at most ${maxColumns} are supported`)
  const names = await toColumnNames(csv.headers)
  const target = sql.table(`${schema}.${table}`)
  const columnDefs = names.map((n) => sql`${sql.id(n)} text`)
  await sql`CREATE TABLE ${target} (${sql.id(ROW_COLUMN)} bigint NOT NULL, ${sql.join(columnDefs)})`.execute(session.db)

  const inferences = names.map(() => createColumnInference())
  let rowCount = 0
  async function* copyText(): AsyncGenerator<string> {
    for await (const batch of csv.batches) {
      options.signal?.throwIfAborted()
      let text = ''
      for (const record of batch) {
        rowCount++
        let line = String(rowCount)
        for (let i = 0; i < record.length; i++) {
          const cell = record[i]!
          inferences[i]!.observe(cell)
          line += `\t${copyTextValue(cell)}`
        }
        text += `${line}\n`
      }
      options.onRows?.(rowCount)
      yield text
    }
  }
  const copy = sql`COPY ${target} (${sql.join([ROW_COLUMN, ...names].map((n) => sql.id(n)))}) FROM STDIN`.compile(session.db)
  await session.copyFrom(copy.sql, copyText())

  const columns = names.map((name, i) => ({ name, originalName: csv.headers[i]!, inference: inferences[i]!.result().inference }))
  await convertColumns(options, columns)
  await sql`ANALYZE ${target}`.execute(session.db)
  return { columns, rowCount }
}

/**
 * All conversions in one statement. Inference mirrors the conversions, so failure means a reader and its
 * conversion disagree: then each column is retried alone behind a savepoint and the ones that fail stay text,
 * with the database's reason recorded, instead of failing the whole upload.
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

/** Runs `fn` so that its failure leaves the transaction usable; returns the error, if any. */
async function underSavepoint(session: DbSession, fn: () => Promise<unknown>): Promise<Error | null> {
  await session.query('SAVEPOINT phers_convert')
  try {
    await fn()
    await session.query('RELEASE SAVEPOINT phers_convert')
    return null
  } catch (error) {
    await session.query('ROLLBACK TO SAVEPOINT phers_convert')
    await session.query('RELEASE SAVEPOINT phers_convert')
    return error as Error
  }
}
