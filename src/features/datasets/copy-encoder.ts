import { BOOLEAN_TRUE_WORDS } from './boolean-reader.ts'
import { copyTextValue } from './copy-text.ts'
import type { ColumnInference } from './dataset-types.ts'

export type CopyEncoder = (cell: string) => string

const TRUE = new Set(BOOLEAN_TRUE_WORDS)
const NULL = '\\N'

const isBlank = (cell: string) => cell === '' || ((cell.charCodeAt(0) <= 32 || cell.charCodeAt(cell.length - 1) <= 32) && cell.trim() === '')

/** Day-first or month-first numeric dates → ISO, which PostgreSQL reads the same under any DateStyle. */
function isoDate(format: string): CopyEncoder {
  const separator = format[2]!
  const monthFirst = format.startsWith('MM')
  // A date column repeats few distinct values; remember the conversions (bounded).
  const known = new Map<string, string>()
  return (cell) => {
    const hit = known.get(cell)
    if (hit !== undefined) return hit
    const [a, b, year] = cell.trim().split(separator) as [string, string, string]
    const iso = monthFirst ? `${year}-${a}-${b}` : `${year}-${b}-${a}`
    if (known.size < 4096) known.set(cell, iso)
    return iso
  }
}

/** The text of a field already known to hold no backslash, tab or line break: only the empty one is NULL. */
const plainTextValue: CopyEncoder = (cell) => (cell === '' ? NULL : cell)

function typedEncoder({ type, format }: ColumnInference, textValue: CopyEncoder): CopyEncoder {
  switch (type) {
    case 'text':
      return textValue
    case 'boolean':
      return (cell) => (TRUE.has(cell.trim().toLowerCase()) ? 't' : 'f')
    case 'integer':
    case 'bigint':
    case 'numeric':
      if (format === null) return (cell) => textValue(cell.trim())
      // Keep digits, signs and the decimal mark; the readers guaranteed nothing else carries meaning.
      return format.includes('1.234,56')
        ? (cell) => cell.replace(/[^0-9,+-]/g, '').replace(',', '.')
        : (cell) => cell.replace(/[^0-9.+-]/g, '')
    case 'date':
      return format && /^(MM|DD)\W/.test(format) ? isoDate(format) : (cell) => textValue(cell.trim())
    case 'timestamp':
    case 'timestamptz':
      return (cell) => textValue(cell.trim())
  }
}

/**
 * Writes a cell as the COPY text value PostgreSQL parses into the inferred type: the JS twin of
 * `conversionSql`, so loading needs no table rewrite. Blank cells of typed columns are NULL; in text columns
 * only the empty cell is (whitespace is data there).
 */
export function copyEncoder(inference: ColumnInference): CopyEncoder {
  return withNulls(inference, typedEncoder(inference, copyTextValue))
}

/** `copyEncoder` for fields that hold no backslash, tab or line break (records not in `CsvBatch.escapes`): no escaping scan. */
export function plainCopyEncoder(inference: ColumnInference): CopyEncoder {
  return withNulls(inference, typedEncoder(inference, plainTextValue))
}

function withNulls(inference: ColumnInference, encode: CopyEncoder): CopyEncoder {
  if (inference.type === 'text') return encode
  return (cell) => (isBlank(cell) ? NULL : encode(cell))
}
