import type { ColumnRole } from '../datasets/dataset-types.ts'
import type { ChatColumn } from './chat-column.ts'
import type { Filter, InterpretationItem, QueryPlan } from './chat-types.ts'
import type { DatasetValueIndex } from './dataset-value-index.ts'
import type { ColumnMention } from './link-columns.ts'
import type { ValueMention } from './link-values.ts'
import type { QuestionCues } from './question-cues.ts'
import { DIMENSION_HINTS, STOPWORDS, ROW_NOUNS } from './question-lexicon.ts'
import type { DateCondition, LimitCue, NumberCondition } from './read-conditions.ts'
import type { Token } from './tokenize-question.ts'

export interface ParseInput {
  /** Values of high-cardinality columns found by SQL for this question (see `ValueIndex.searchLarge`). */
  extraIndex?: DatasetValueIndex | null
  question: string
  columns: readonly ChatColumn[]
  index: DatasetValueIndex
  /** Words of the dataset's name: they name rows, like "devices" ("players" in a players table). */
  rowWords?: readonly string[]
}

/** Everything the parser has read so far; each step reads tokens not yet used and adds to it. */
export interface State {
  input: ParseInput
  tokens: Token[]
  byName: Map<string, ChatColumn>
  used: Set<number>
  values: ValueMention[]
  mentions: ColumnMention[]
  dates: DateCondition[]
  numbers: NumberCondition[]
  limits: LimitCue[]
  cues: QuestionCues
  filters: Filter[][]
  targets: { column: string; plural: boolean; start: number }[]
  groupBy: string[]
  orderBy: QueryPlan['orderBy']
  aggregateColumn: string | null
  rankColumn: string | null
  countDistinct: string | null
  having: QueryPlan['having']
  items: InterpretationItem[]
  alternatives: string[]
  notes: string[]
}

export const item = (phrase: string, kind: InterpretationItem['kind'], column: string | null, value: string | null = null,
  operator: string | null = null): InterpretationItem => ({ phrase, kind, column, value, operator })

export const markUsed = (state: State, start: number, end: number) => {
  for (let i = start; i < end; i++) state.used.add(i)
}

export const norm = (state: State, i: number) => state.tokens[i]?.norm ?? ''

export const ROLE_PRIORITY: readonly ColumnRole[] = ['person_name', 'organization', 'location', 'category', 'product', 'status',
  'money', 'date', 'identifier', 'username', 'quantity', 'email', 'text', 'boolean']

export const firstOfRole = (state: State, roles: readonly ColumnRole[]) =>
  roles.map((role) => state.input.columns.find((c) => c.role === role)).find(Boolean) ?? null

/** Only stopwords and row nouns (at most `gap` words) lie between the two spans. */
export const adjacent = (state: State, aEnd: number, bStart: number, gap = 1) => {
  if (bStart < aEnd) return false
  for (let i = aEnd; i < bStart; i++) if (!STOPWORDS.has(norm(state, i)) && !ROW_NOUNS.has(norm(state, i))) return false
  return bStart - aEnd <= gap
}

export const phraseOf = (state: State, start: number, end: number) => state.tokens.slice(start, end).map((t) => t.raw).join(' ')

export const defaultDateColumn = (state: State) =>
  state.input.columns.find((c) => c.temporal) ?? state.input.columns.find((c) => c.yearLike) ?? null

/** The numeric column a dimension word refers to ("tall" → "Height (m)"). */
export const dimensionColumn = (state: State, hint: string | null | undefined) => {
  const words = hint ? DIMENSION_HINTS[hint] ?? [] : []
  return state.input.columns.find((c) => c.numeric && words.some((w) => c.words.has(w))) ?? null
}

export const ageColumn = (state: State) => state.input.columns.find((c) => c.numeric && c.words.has('age')) ?? null

export const moneyColumn = (state: State) =>
  state.input.columns.find((c) => c.role === 'money' && c.numeric) ?? null

export const measureCandidates = (state: State) =>
  state.input.columns.filter((c) => c.numeric && c.role !== 'identifier')

export const isCategorical = (column: ChatColumn) => !column.numeric && !column.temporal

/** An identifier equality pins the question to one entity ("IT-7781"). */
export const pinned = (state: State) => state.filters.some((g) => g.length === 1 && g[0]!.op === 'eq'
  && state.byName.get(g[0]!.column)?.role === 'identifier')

export const emptyPlan = (): QueryPlan => ({ intent: 'list', select: [], filters: [], groupBy: [], measure: null, having: null,
  orderBy: null, limit: null })
