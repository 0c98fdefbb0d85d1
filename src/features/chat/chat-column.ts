import type { ColumnInfo, ColumnRole, ColumnType } from '../datasets/dataset-types.ts'
import { detectColumnRole } from './detect-column-role.ts'
import { rootWord, stemWord } from './normalize-text.ts'
import { SYNONYM_GROUPS } from './role-lexicon.ts'
import { expandHeaderWords } from './header-abbreviations.ts'
import { splitHeaderWords } from './split-header-words.ts'

/** A catalog column as the question parser sees it: header words, their synonyms, role, kind of values. */
export interface ChatColumn {
  name: string
  originalName: string
  type: ColumnType
  role: ColumnRole
  roleConfidence: number
  /** Stemmed header words. */
  words: ReadonlySet<string>
  /** Rough roots of the header words (see `rootWord`), for verbs like "rated" or "hired". */
  roots: ReadonlySet<string>
  /** Stemmed words of synonym groups the header words belong to. */
  synonyms: ReadonlySet<string>
  numeric: boolean
  temporal: boolean
  /** Whole numbers that read as years (e.g. "Year", "First elected"): date phrases compare them as years. */
  yearLike: boolean
  distinctCount: number
  /** Header words as written, for answers ("asset tag"). */
  label: string
  /** The largest value of a numeric column, when the catalog knows it. */
  maxNumber: number | null
  /** Every header word is weak alone ("No.", "Name"): then those words do name the column. */
  weakOnly: boolean
}

/** Header words that say little alone ("Employee_Name", "Model #"): they never make a mention by themselves. */
export const WEAK_HEADER_WORDS: ReadonlySet<string> = new Set(['name', 'id', 'number', 'no', 'num', 'nr', 'full',
  'on', 'at', 'to', 'of', 'the', 'in', 'by', 'mm', 'dd', 'yyyy', 'yy', 'value', 'info', 'data', 'is', 'has'])

const synonymsOf = (words: readonly string[]) => {
  const found = new Set<string>()
  for (const group of SYNONYM_GROUPS) {
    const stems = group.map(stemWord)
    if (words.some((w) => stems.includes(w))) for (const s of stems) found.add(s)
  }
  for (const w of words) found.delete(w)
  return found
}

const isYear = (value: string | null) => value !== null && /^\d{4}$/.test(value) && Number(value) >= 1800 && Number(value) <= 2200

const NUMERIC: readonly ColumnType[] = ['integer', 'bigint', 'numeric']
const TEMPORAL: readonly ColumnType[] = ['date', 'timestamp', 'timestamptz']

/** Headers of one letter (`W`, `D`, `L` in a standings table): at least this many make a table of abbreviations. */
const SHORT_HEADER_TABLE = 3

/** Catalog columns of one table: abbreviations are read in the light of the whole header row. */
export const toChatColumns = (columns: readonly ColumnInfo[], rowCount: number): ChatColumn[] => {
  const letters = columns.filter((c) => /^[A-Za-z]$/.test((c.originalName || c.name).trim())).length
  return columns.map((c) => toChatColumn(c, rowCount, letters >= SHORT_HEADER_TABLE))
}

export const toChatColumn = (column: ColumnInfo, rowCount: number, shortHeaders = false): ChatColumn => {
  const detected = column.role
    ? { role: column.role, confidence: column.roleConfidence }
    : detectColumnRole({ ...column, rowCount })
  const { words: header, symbols } = splitHeaderWords(column.originalName || column.name)
  const words = header.map(stemWord)
  const spelled = expandHeaderWords(header, symbols, shortHeaders).map(stemWord).filter((w) => !words.includes(w))
  const synonyms = new Set([...synonymsOf(words), ...spelled, ...synonymsOf(spelled)])
  for (const w of words) synonyms.delete(w)
  return {
    name: column.name, originalName: column.originalName, type: column.type, role: detected.role,
    roleConfidence: detected.confidence, words: new Set(words), synonyms,
    maxNumber: NUMERIC.includes(column.type) && column.max !== null && Number.isFinite(Number(column.max)) ? Number(column.max) : null,
    weakOnly: words.length > 0 && words.every((w) => WEAK_HEADER_WORDS.has(w)),
    roots: new Set(words.filter((w) => !WEAK_HEADER_WORDS.has(w)).map(rootWord).filter((r) => r.length >= 3)),
    numeric: NUMERIC.includes(column.type), temporal: TEMPORAL.includes(column.type),
    distinctCount: column.distinctCount,
    yearLike: (column.type === 'integer' || column.type === 'bigint') && isYear(column.min) && isYear(column.max)
      || (NUMERIC.includes(column.type) && words.includes('year')),
    label: header.filter((w) => !['mm', 'dd', 'yyyy'].includes(w)).join(' ') || column.name,
  }
}
