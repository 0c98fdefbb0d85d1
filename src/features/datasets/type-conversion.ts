import { sql, type RawBuilder } from 'kysely'
import { BOOLEAN_TRUE_WORDS } from './boolean-reader.ts'
import type { ColumnType } from './dataset-types.ts'

const CAST: Record<ColumnType, RawBuilder<unknown>> = {
  integer: sql.raw('integer'),
  bigint: sql.raw('bigint'),
  numeric: sql.raw('numeric'),
  boolean: sql.raw('boolean'),
  date: sql.raw('date'),
  timestamp: sql.raw('timestamp'),
  timestamptz: sql.raw('timestamptz'),
  text: sql.raw('text'),
}

export const castTo = (type: ColumnType) => CAST[type]

/** Template for `to_date`: the inferred format with any separator, which `to_date` matches to any separator. */
const TO_DATE: Record<string, string> = {
  'DD Mon YYYY': 'DD Mon YYYY',
  'Mon DD, YYYY': 'Mon DD, YYYY',
}

function dateTemplate(format: string): string | null {
  if (format === 'YYYY-MM-DD') return null
  if (TO_DATE[format]) return TO_DATE[format]
  return format.startsWith('MM') ? 'MM/DD/YYYY' : 'DD/MM/YYYY'
}

/**
 * The SQL expression that turns a text value into `type` read with `format` (as recorded by inference), used in
 * `ALTER TABLE … TYPE … USING`. It mirrors the readers exactly: blank → NULL; numbers lose currency symbols,
 * grouping and `%` (so `12%` is stored as 12) with the decimal mark taken from the format.
 */
export function conversionSql(value: RawBuilder<unknown>, type: ColumnType, format: string | null): RawBuilder<unknown> {
  const src = sql`nullif(btrim(${value}), '')`
  if (type === 'text') return sql`${value}`
  if (type === 'boolean') return sql`lower(${src}) = any(${sql.lit(`{${BOOLEAN_TRUE_WORDS.join(',')}}`)}::text[])`
  if (type === 'date' && format) {
    const template = dateTemplate(format)
    return template ? sql`to_date(${src}, ${sql.lit(template)})` : sql`${src}::date`
  }
  if ((type === 'integer' || type === 'bigint' || type === 'numeric') && format) {
    const decimalComma = format.includes('1.234,56')
    // Exponents survive (`1e3` in a `$` column): only US-convention columns can hold them (see number-reader).
    const digits = decimalComma
      ? sql`replace(regexp_replace(${src}, '[^0-9,+-]', '', 'g'), ',', '.')`
      : sql`regexp_replace(${src}, '[^0-9.eE+-]', '', 'g')`
    return sql`${digits}::${CAST[type]}`
  }
  return sql`${src}::${CAST[type]}`
}
