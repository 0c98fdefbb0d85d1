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

/**
 * A number cell reduced to digits, signs and the decimal point (`$1,234.50` → `1234.50`, `1.234,5 €` → `1234.5`):
 * the readers guaranteed nothing else carries meaning. A character loop with slices, not a regular expression
 * replace: this runs once per cell of every formatted number column.
 */
function numberText(cell: string, decimalComma: boolean): string {
  const mark = decimalComma ? 44 : 46
  let out = ''
  let from = 0
  for (let i = 0; i < cell.length; i++) {
    const c = cell.charCodeAt(i)
    // Digits, signs and an exponent's `e`/`E` (`1e3` may sit in a `$` column: the number reader allows it).
    if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 101 || c === 69) continue
    if (c === mark && !decimalComma) continue
    out += cell.slice(from, i)
    if (c === mark) out += '.'
    from = i + 1
  }
  return from === 0 ? cell : out + cell.slice(from)
}

/** true/false words → `t`/`f`; a column spells them a few ways, so each spelling is looked up once (bounded). */
function booleanEncoder(): CopyEncoder {
  const known = new Map<string, string>()
  return (cell) => {
    const hit = known.get(cell)
    if (hit !== undefined) return hit
    const value = TRUE.has(cell.trim().toLowerCase()) ? 't' : 'f'
    if (known.size < 256) known.set(cell, value)
    return value
  }
}

/** The text of a field already known to hold no backslash, tab or line break: only the empty one is NULL. */
const plainTextValue: CopyEncoder = (cell) => (cell === '' ? NULL : cell)

function typedEncoder({ type, format }: ColumnInference, textValue: CopyEncoder): CopyEncoder {
  switch (type) {
    case 'text':
      return textValue
    case 'boolean':
      return booleanEncoder()
    case 'integer':
    case 'bigint':
    case 'numeric': {
      if (format === null) return (cell) => textValue(cell.trim())
      const decimalComma = format.includes('1.234,56')
      return (cell) => numberText(cell, decimalComma)
    }
    case 'date':
      // Only all-numeric forms need reordering; month names (`15-Mar-2021`, `Mar 15, 2021`) PostgreSQL reads as they are.
      return format && /^(MM|DD)\W(MM|DD)\W/.test(format) ? isoDate(format) : (cell) => textValue(cell.trim())
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
