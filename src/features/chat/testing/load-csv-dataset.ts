import type { PGlite } from '@electric-sql/pglite'
import { parse } from 'csv-parse/sync'
import type { ColumnInfo, ColumnType, DatasetInfo } from '../../datasets/dataset-types.ts'
import { detectColumnRole } from '../detect-column-role.ts'
import { quoteIdent } from '../../../infra/quote-ident.ts'
import { splitHeaderWords } from '../split-header-words.ts'

/**
 * Loads a CSV into PGlite as a typed dataset table with catalog rows, standing in for the real ingest in
 * unit tests and the chat bench. Types are inferred simply (ISO and US dates, `$` amounts, numbers) unless
 * given explicitly.
 */
export interface LoadCsvOptions {
  pglite: PGlite
  csv: string
  tableName: string
  datasetId?: string
  schema?: string
  /** Column types by header; inferred for headers not listed. */
  types?: Record<string, ColumnType>
}

const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/
const MONEY = /^-?\$?-?[\d,]+(\.\d+)?$/

const inferType = (values: readonly string[]): ColumnType => {
  const present = values.filter((v) => v !== '')
  if (present.length === 0) return 'text'
  if (present.every((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) || US_DATE.test(v))) return 'date'
  if (present.every((v) => /^-?\d+$/.test(v))) return present.every((v) => Math.abs(Number(v)) < 2 ** 31) ? 'integer' : 'bigint'
  if (present.every((v) => MONEY.test(v) && /\d/.test(v))) return 'numeric'
  if (present.every((v) => /^(true|false|yes|no)$/i.test(v))) return 'boolean'
  return 'text'
}

const cleanValue = (value: string, type: ColumnType) => {
  if (value === '') return ''
  if (type === 'date') {
    const us = US_DATE.exec(value)
    return us ? `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}` : value
  }
  if (type === 'numeric' || type === 'integer' || type === 'bigint') return value.replace(/[$,]/g, '')
  return value
}

const csvCell = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value)

/** `Asset#ID@` → `asset_id`, `Cost ($)` → `cost`: the safe snake_case names ingest gives columns. */
export const safeColumnName = (header: string, taken: Set<string>) => {
  const base = splitHeaderWords(header).words.join('_') || 'column'
  let name = /^\d/.test(base) ? `c_${base}` : base
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`
  taken.add(name)
  return name
}

export const loadCsvDataset = async ({ pglite, csv, tableName, datasetId = tableName, schema = 'datasets', types = {} }: LoadCsvOptions):
  Promise<{ dataset: DatasetInfo; columns: ColumnInfo[] }> => {
  const records = parse(csv, { relax_column_count: true }) as string[][]
  const [header, ...rows] = records
  if (!header) throw new Error('empty CSV')
  const taken = new Set<string>()
  const columns = header.map((original, i) => ({ original, name: safeColumnName(original, taken),
    type: types[original] ?? inferType(rows.map((r) => r[i] ?? '')) }))
  const table = `${quoteIdent(schema)}.${quoteIdent(tableName)}`
  await pglite.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}; DROP TABLE IF EXISTS ${table};
    CREATE TABLE ${table} (${columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')})`)
  const body = rows.map((r) => columns.map((c, i) => csvCell(cleanValue(r[i] ?? '', c.type))).join(',')).join('\n')
  await pglite.query(`COPY ${table} FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob: new Blob([body]) })
  const infos: ColumnInfo[] = []
  for (const [position, c] of columns.entries()) {
    const id = quoteIdent(c.name)
    // min/max do not take booleans; compare them as 0/1.
    const ordered = c.type === 'boolean' ? `${id}::int` : id
    const stats = await pglite.query<{ nulls: number; distinct: number; min: string | null; max: string | null }>(
      `SELECT count(*) - count(${id}) AS nulls, count(DISTINCT ${id}) AS distinct, min(${ordered})::text AS min, max(${ordered})::text AS max FROM ${table}`)
    const top = await pglite.query<{ value: string; count: number }>(
      `SELECT ${id}::text AS value, count(*)::int AS count FROM ${table} WHERE ${id} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10`)
    const s = stats.rows[0]!
    const info: ColumnInfo = { datasetId, position, name: c.name, originalName: c.original, type: c.type,
      nullCount: Number(s.nulls), distinctCount: Number(s.distinct), min: s.min, max: s.max, topValues: top.rows,
      inference: { type: c.type, confidence: 1, examplesRejected: [], format: null }, role: null, roleConfidence: 0 }
    const role = detectColumnRole({ ...info, rowCount: rows.length })
    infos.push({ ...info, role: role.role, roleConfidence: role.confidence })
  }
  const now = new Date(0)
  const dataset: DatasetInfo = { id: datasetId, name: tableName, tableName, version: 1, rowCount: rows.length, ownerId: 'test',
    visibility: 'SHARED', fileName: `${tableName}.csv`, fileSize: csv.length, createdAt: now, updatedAt: now }
  return { dataset, columns: infos }
}
