import type { InterpretationItem, QueryPlan } from './chat-types.ts'
import { decidePlan } from './decide-plan.ts'
import { linkColumns } from './link-columns.ts'
import { linkValues } from './link-values.ts'
import { emptyPlan, markUsed, type ParseInput, type State } from './parse-state.ts'
import { placeConditions } from './place-conditions.ts'
import { placeMentions } from './place-mentions.ts'
import { placeBareYears, placeOrdinal } from './place-ordinal.ts'
import { applyOr, valueFilters } from './place-values.ts'
import { readCues } from './question-cues.ts'
import { ROW_NOUNS, SUPERLATIVES } from './question-lexicon.ts'
import { readDates, readLimits, readNumberConditions } from './read-conditions.ts'
import { tokenizeQuestion, type Token } from './tokenize-question.ts'
import { findMissingAttribute, placeUnknownValues, unknownRuns } from './unknown-words.ts'

export type { ParseInput }

/** Row nouns too vague to name rows in an answer ("Found 12 tables"). */
const VAGUE_ROW_NOUNS = new Set(['data', 'dataset', 'table', 'result', 'results', 'stuff', 'line', 'lines'])

/** What a question says, before any conversation context is applied. */
export interface ParsedQuestion {
  tokens: Token[]
  plan: QueryPlan
  interpretation: InterpretationItem[]
  alternatives: string[]
  notes: string[]
  /** Words that ask for an attribute no column holds ("battery health"). */
  missingAttribute: string | null
  confidence: number
  /** How much of the question this dataset explained; picks a dataset when none is given. */
  fit: number
  /** Words nothing explained, worth looking up in high-cardinality columns. */
  unknownPhrases: string[]
  /** The word the question used for rows ("device"), for answers; null when it used none. */
  rowNoun: string | null
  /** What the question itself decided, so a follow-up keeps the rest from the previous turn. */
  explicit: { intent: boolean; targets: boolean; pronoun: boolean; orderOnly: boolean }
}

/** Reads dates, numbers and limits first: their tokens are never values or columns. */
const readConditions = (state: State) => {
  state.dates = readDates(state.tokens)
  for (const d of state.dates) markUsed(state, d.start, d.end)
  state.numbers = readNumberConditions(state.tokens, state.used)
  for (const n of state.numbers) markUsed(state, n.start, n.end)
  state.limits = readLimits(state.tokens, new Set([...Object.keys(SUPERLATIVES), 'most', 'least']), state.used)
  for (const l of state.limits) markUsed(state, l.start, l.end)
}

const confidenceOf = (state: State, plan: QueryPlan) => {
  const scores = [...state.values.map((v) => v.score), ...state.mentions.map((m) => m.score)]
  const base = scores.length === 0 ? 0.4 : scores.reduce((a, b) => a + b, 0) / scores.length
  const penalty = Math.min(0.3, 0.1 * state.alternatives.length) + (state.notes.length > 0 ? 0.1 : 0)
  return Math.max(0.05, Math.round((plan.intent === 'unanswerable' ? 0.9 : base * 0.95 - penalty) * 100) / 100)
}

const cueContext = (input: ParseInput) => ({
  headerWords: new Set(input.columns.flatMap((c) => [...c.words])),
  numericWords: new Set(input.columns.filter((c) => c.numeric && c.role !== 'identifier').flatMap((c) => [...c.words])),
})

/** Reads one question against one dataset's columns and values: links, conditions, intent → plan. */
export const parseQuestion = (input: ParseInput): ParsedQuestion => {
  const tokens = tokenizeQuestion(input.question)
  const state: State = {
    input, tokens, byName: new Map(input.columns.map((c) => [c.name, c])), used: new Set(), values: [], mentions: [],
    dates: [], numbers: [], limits: [], cues: readCues(tokens, new Set(), cueContext(input)), filters: [], targets: [], groupBy: [],
    orderBy: null, aggregateColumn: null, rankColumn: null, countDistinct: null, having: null, items: [], alternatives: [], notes: [],
  }
  readConditions(state)
  state.cues = readCues(tokens, state.used, cueContext(input))
  const reserved = new Set([...state.used, ...state.cues.used])
  state.values = linkValues(tokens, input.index, state.byName, reserved, input.extraIndex ?? null, new Set(input.rowWords ?? []))
  valueFilters(state)
  applyOr(state)
  state.mentions = linkColumns(tokens, input.columns, new Set([...state.used, ...state.cues.used]), new Set(input.rowWords ?? []))
  placeMentions(state)
  placeConditions(state)
  placeBareYears(state)
  placeOrdinal(state)
  const runs = unknownRuns(state)
  const missingAttribute = findMissingAttribute(state, runs)
  if (!missingAttribute) placeUnknownValues(state, runs)
  const plan = missingAttribute ? { ...emptyPlan(), intent: 'unanswerable' as const } : decidePlan(state)
  const fit = state.values.reduce((s, v) => s + v.score * (v.unknown ? 0.3 : 1), 0)
    + state.mentions.reduce((s, m) => s + m.score, 0) - 0.5 * unknownRuns(state).length - (missingAttribute ? 1 : 0)
  return {
    tokens, plan, interpretation: state.items, alternatives: [...new Set(state.alternatives)], notes: state.notes,
    missingAttribute, confidence: confidenceOf(state, plan), fit,
    unknownPhrases: missingAttribute ? [] : runs.map((r) => tokens.slice(r.start, r.end).map((t) => t.raw).join(' ')),
    rowNoun: tokens.find((t) => (ROW_NOUNS.has(t.norm) && !VAGUE_ROW_NOUNS.has(t.norm)) || (input.rowWords ?? []).includes(t.stem))?.stem ?? null,
    explicit: {
      intent: Boolean(state.cues.count || state.cues.aggregate || state.cues.superlative || state.limits.length > 0
        || state.groupBy.length > 0 || state.countDistinct || tokens.some((t) => ['list', 'show'].includes(t.norm))),
      targets: state.targets.length > 0, pronoun: state.cues.pronoun,
      orderOnly: state.cues.orderOnly && state.values.length === 0 && state.targets.length === 0,
    },
  }
}

