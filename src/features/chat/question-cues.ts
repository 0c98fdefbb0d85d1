import {
  AGGREGATE_WORDS, COMPARATORS, COMPARE_CUES, COUNT_CUES, DISTINCT_CUES, MISSING_WORDS, MONEY_ADJECTIVES, PRONOUNS, SUPERLATIVES,
} from './question-lexicon.ts'
import type { Token } from './tokenize-question.ts'

/** Intent words found in a question, by position; the parser combines them with the linked columns. */
export interface QuestionCues {
  count: { start: number; end: number } | null
  aggregate: { fn: 'sum' | 'avg' | 'min' | 'max'; start: number; end: number } | null
  superlative: { dir: 'asc' | 'desc'; role: 'money' | 'date' | null; age?: 'young' | 'old'; hint?: string; start: number; end: number; phrase: string } | null
  /** "cheapest first", "sorted by": order without cutting the list. */
  orderOnly: boolean
  descending: boolean | null
  compare: boolean
  distinct: boolean
  missing: number[]
  pronoun: boolean
  howMuch: boolean
  /** "how many more … than …", "difference between": compare two values' totals. */
  difference: boolean
  /** "how much taller … than": the dimension, age or money the difference is of. */
  differenceHint: string | null
  used: Set<number>
}

const at = (tokens: readonly Token[], i: number) => tokens[i]?.norm ?? ''

const readCount = (tokens: readonly Token[]) => {
  for (let i = 0; i < tokens.length; i++) {
    const w = at(tokens, i)
    if (w === 'how' && at(tokens, i + 1) === 'many') return { start: i, end: i + 2 }
    if (w === 'number' && at(tokens, i + 1) === 'of') return { start: i, end: i + 2 }
    if (COUNT_CUES.has(w) && w === 'count') return { start: i, end: i + 1 }
  }
  return null
}

const readSuperlative = (tokens: readonly Token[], skip: ReadonlySet<number>) => {
  for (let i = 0; i < tokens.length; i++) {
    if (skip.has(i)) continue
    const w = at(tokens, i)
    const next = at(tokens, i + 1)
    if ((w === 'most' || w === 'least') && MONEY_ADJECTIVES.has(next)) {
      return { dir: (w === 'most') === (next !== 'cheap') ? 'desc' as const : 'asc' as const, role: 'money' as const,
        start: i, end: i + 2, phrase: `${tokens[i]!.raw} ${tokens[i + 1]!.raw}` }
    }
    if (w === 'most' && next === 'recent') return { dir: 'desc' as const, role: 'date' as const, start: i, end: i + 2, phrase: 'most recent' }
    const known = SUPERLATIVES[w]
    if (known && !(w === 'top' && tokens[i + 1]?.kind === 'number')) {
      return { dir: known.dir, role: known.role ?? null, ...(known.age ? { age: known.age } : {}), ...(known.hint ? { hint: known.hint } : {}), start: i, end: i + 1, phrase: tokens[i]!.raw }
    }
  }
  return null
}

/** Header words of the table: an aggregate word that is also a column ("Total") names the column. */
export interface CueContext {
  headerWords: ReadonlySet<string>
  numericWords: ReadonlySet<string>
}

const FILLER_AFTER_AGGREGATE = new Set(['of', 'the', 'number', 'amount', 'a', 'all'])

/** "total" is the aggregate when a numeric column follows ("total number of silver medals"), else the column. */
const isAggregateWord = (tokens: readonly Token[], i: number, context: CueContext) => {
  if (!context.headerWords.has(tokens[i]!.stem)) return true
  let k = i + 1
  while (k < tokens.length && FILLER_AFTER_AGGREGATE.has(tokens[k]!.norm)) k++
  return tokens[k] !== undefined && context.numericWords.has(tokens[k]!.stem)
}

const MORE_OR_LESS = new Set(['more', 'fewer', 'less'])

/** Comparative adjectives that imply their column: "taller" → a height column, "older" → age, "cheaper" → money. */
const COMPARATIVE_HINTS: ReadonlyMap<string, string> = new Map(COMPARATORS
  .filter((c) => c.words.length === 2 && c.words[1] === 'than' && c.role).map((c) => [c.words[0]!, c.role!]))

/** "how many more gold medals did Norway win than Germany", "how much taller is A than B", "the difference in points between A and B". */
const readDifference = (tokens: readonly Token[], used: Set<number>) => {
  const comparative = tokens.findIndex((t, i) => (MORE_OR_LESS.has(t.norm) || COMPARATIVE_HINTS.has(t.norm))
    && ['many', 'much'].includes(at(tokens, i - 1)))
  if (comparative >= 0 && tokens.some((t) => t.norm === 'than')) {
    used.add(comparative)
    return { difference: true, differenceHint: COMPARATIVE_HINTS.get(at(tokens, comparative)) ?? null }
  }
  return { difference: tokens.some((t) => t.norm === 'difference'), differenceHint: null }
}

/** Reads the intent words of a question; `skip` holds tokens already read as dates, numbers or limits. */
export const readCues = (tokens: readonly Token[], skip: ReadonlySet<number>,
  context: CueContext = { headerWords: new Set(), numericWords: new Set() }): QuestionCues => {
  const used = new Set<number>()
  const count = readCount(tokens)
  if (count) for (let i = count.start; i < count.end; i++) used.add(i)
  let aggregate: QuestionCues['aggregate'] = null
  for (const t of tokens) {
    const fn = AGGREGATE_WORDS[t.norm]
    if (fn && !aggregate && !skip.has(t.index) && isAggregateWord(tokens, t.index, context)) {
      aggregate = { fn, start: t.index, end: t.index + 1 }
      used.add(t.index)
    }
  }
  const howMuch = tokens.some((t, i) => t.norm === 'how' && at(tokens, i + 1) === 'much')
  if (howMuch && !aggregate) {
    const i = tokens.findIndex((t, k) => t.norm === 'how' && at(tokens, k + 1) === 'much')
    aggregate = { fn: 'sum', start: i, end: i + 2 }
  }
  const superlative = readSuperlative(tokens, skip)
  if (superlative) for (let i = superlative.start; i < superlative.end; i++) used.add(i)
  const words = new Set(tokens.map((t) => t.norm))
  const firstAfterSuperlative = superlative && ['first', 'top'].includes(at(tokens, superlative.end))
  return {
    count, aggregate, superlative, howMuch, used, ...readDifference(tokens, used),
    orderOnly: Boolean(firstAfterSuperlative) || words.has('sort') || words.has('sorted') || words.has('order') || words.has('ordered'),
    descending: words.has('descending') || words.has('desc') ? true : words.has('ascending') || words.has('asc') ? false : null,
    compare: [...COMPARE_CUES].some((w) => words.has(w)),
    distinct: [...DISTINCT_CUES].some((w) => words.has(w)),
    missing: tokens.filter((t) => MISSING_WORDS.has(t.norm)).map((t) => t.index),
    pronoun: tokens.some((t) => PRONOUNS.has(t.norm) && t.norm !== 'one'),
  }
}
