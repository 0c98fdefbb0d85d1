import type { ColumnRole, ColumnType } from '../datasets/dataset-types.ts'
import { HEADER_ROLE_WORDS } from './role-lexicon.ts'
import { splitHeaderWords } from './split-header-words.ts'
import { valueShapeShares, type ValueShapeShares } from './value-shape-shares.ts'
import type { RoleDetectionInput } from '../datasets/dataset-service-deps.ts'

/** The column facts ingest passes (`RoleDetectionInput`), plus optional raw samples. */
export interface ColumnRoleInput extends RoleDetectionInput {
  /** Extra raw values (e.g. a sample of rows) beyond the top values; optional. */
  sampleValues?: readonly string[]
}

export interface ColumnRoleResult {
  role: ColumnRole
  /** 0..1: how strongly header and values agree on the role and how far it leads the runner-up. */
  confidence: number
}

type Scores = Partial<Record<ColumnRole, number>>

/** Header words plus joined neighbours, so `USER_ID` also reads as `userid` and `E_Mail` as `email`. */
const headerTerms = (column: ColumnRoleInput) => {
  const { words, symbols } = splitHeaderWords(column.originalName || column.name)
  const joined = words.slice(1).map((word, i) => `${words[i]}${word}`)
  return { terms: [...new Set([...words, ...joined])], symbols }
}

const headerScores = (column: ColumnRoleInput): Scores => {
  const { terms, symbols } = headerTerms(column)
  const scores: Scores = {}
  for (const [role, lexicon] of Object.entries(HEADER_ROLE_WORDS) as [ColumnRole, Record<string, number>][]) {
    const total = terms.reduce((sum, term) => sum + (lexicon[term] ?? 0), 0)
    if (total > 0) scores[role] = total
  }
  if (symbols.includes('#')) scores.identifier = (scores.identifier ?? 0) + 0.8
  if (symbols.some((s) => '$€£'.includes(s))) scores.money = (scores.money ?? 0) + 1.5
  if (symbols.includes('%')) scores.quantity = (scores.quantity ?? 0) + 1
  return scores
}

const add = (scores: Scores, role: ColumnRole, value: number) => {
  if (value > 0) scores[role] = (scores[role] ?? 0) + value
}

/** Evidence from values of a text column. */
const textValueScores = (shares: ValueShapeShares, column: ColumnRoleInput, scores: Scores) => {
  const nonNull = Math.max(1, column.rowCount - column.nullCount)
  const uniqueness = column.distinctCount / nonNull
  const lowCardinality = column.distinctCount <= 50 || uniqueness < 0.02
  add(scores, 'identifier', shares.code > 0.8 ? 1 + (uniqueness > 0.9 ? 0.6 : 0) : 0)
  add(scores, 'email', shares.email * 2.5)
  add(scores, 'username', shares.login > 0.8 && column.distinctCount > 30 && shares.status < 0.3 ? 1.1 : 0)
  add(scores, 'person_name', shares.personName * 0.9 + shares.givenName * 0.9)
  add(scores, 'location', shares.place * 2)
  add(scores, 'organization', shares.organization * 1.6)
  add(scores, 'status', lowCardinality ? shares.status * 1.6 : 0)
  add(scores, 'money', shares.money * 2.5)
  add(scores, 'date', shares.date * 2.5)
  add(scores, 'text', shares.longText * 1.8)
  // Below the 0.35 floor on its own: a letters-and-digits shape only tips a column that a header word supports.
  add(scores, 'product', shares.product > 0.5 && !lowCardinality ? 0.3 : 0)
  add(scores, 'category', lowCardinality && shares.shortWords > 0.8 ? 0.5 : 0)
}

/** Numeric and temporal types narrow the roles a column can have. */
const ROLES_BY_TYPE: Partial<Record<ColumnType, readonly ColumnRole[]>> = {
  integer: ['identifier', 'money', 'quantity', 'date', 'category', 'status'],
  bigint: ['identifier', 'money', 'quantity', 'date'],
  numeric: ['money', 'quantity'],
  boolean: ['boolean'],
  date: ['date'],
  timestamp: ['date'],
  timestamptz: ['date'],
}

const fallbackRole = (column: ColumnRoleInput): ColumnRole => {
  if (column.type === 'boolean') return 'boolean'
  if (column.type === 'date' || column.type === 'timestamp' || column.type === 'timestamptz') return 'date'
  if (column.type !== 'text') return 'quantity'
  return column.distinctCount <= 50 ? 'category' : 'text'
}

/**
 * The semantic role of a column from its header words (any naming style, synonym lexicon) and its values
 * (patterns, cardinality, type, name-like tokens, known places). Pure: ingest calls it once per column.
 */
export const detectColumnRole = (column: ColumnRoleInput): ColumnRoleResult => {
  const scores = headerScores(column)
  if (column.type === 'text') {
    const values = [...column.topValues.map((t) => t.value), ...(column.sampleValues ?? [])].filter((v) => v !== '')
    textValueScores(valueShapeShares(values), column, scores)
  } else if (column.type === 'integer' || column.type === 'bigint') {
    const unique = column.distinctCount >= 0.98 * Math.max(1, column.rowCount - column.nullCount)
    if (!unique) scores.identifier = (scores.identifier ?? 0) * 0.3
  }
  const allowed = ROLES_BY_TYPE[column.type]
  const ranked = (Object.entries(scores) as [ColumnRole, number][])
    .filter(([role]) => !allowed || allowed.includes(role))
    .sort((a, b) => b[1] - a[1])
  const [best, second] = ranked
  if (!best || best[1] < 0.35) {
    const role = fallbackRole(column)
    return { role, confidence: allowed?.length === 1 ? 0.95 : 0.3 }
  }
  if (allowed?.length === 1) return { role: best[0], confidence: 0.97 }
  const strength = 1 - Math.exp(-1.3 * best[1])
  const margin = second ? (best[1] - second[1]) / best[1] : 1
  const confidence = Math.min(0.99, Math.max(0.05, strength * (0.55 + 0.45 * margin)))
  return { role: best[0], confidence: Math.round(confidence * 100) / 100 }
}
