import { lookupByPrefix, lookupValues, matchValueShape, type DatasetValueIndex, type ValueMatch } from './dataset-value-index.ts'
import { WEAK_HEADER_WORDS, type ChatColumn } from './chat-column.ts'
import { normalizeText } from './normalize-text.ts'
import { COMMON_WORDS, ROW_NOUNS, STOPWORDS, SUPERLATIVES } from './question-lexicon.ts'
import type { Token } from './tokenize-question.ts'

export interface ValueMention {
  start: number
  /** Exclusive. */
  end: number
  phrase: string
  column: string
  values: string[]
  kind: ValueMatch['kind']
  score: number
  /** Not among the column's indexed values (a code of the right shape that does not exist). */
  unknown: boolean
  /** Other readings of the same words: another column, or another single value (a shared surname). */
  alternatives: { column: string; values: string[] }[]
}

/** Roles where a partial match means one entity, not every value containing the word. */
const SINGLE_ENTITY_ROLES = new Set(['person_name', 'username', 'email', 'identifier'])

const MAX_WORDS = 4

const isFiller = (token: Token) => STOPWORDS.has(token.norm) || ROW_NOUNS.has(token.norm)
const isCommon = (token: Token) => isFiller(token) || COMMON_WORDS.has(token.norm) || COMMON_WORDS.has(token.stem)

/** Which readings of a span are acceptable: common words only count when they spell a whole value. */
const acceptable = (span: readonly Token[], match: ValueMatch) => {
  if (match.kind === 'exact') return span.some((t) => !isFiller(t)) && (span.length > 1 || !isCommon(span[0]!) || match.score === 1)
  if (span.some(isCommon)) return false
  return match.kind !== 'fuzzy' || span.every((t) => t.norm.length >= 4)
}

const byCount = (a: { count: number; value: string }, b: { count: number; value: string }) =>
  b.count - a.count || a.value.localeCompare(b.value)

const toMention = (span: readonly Token[], matches: ValueMatch[], columns: ReadonlyMap<string, ChatColumn>): ValueMention => {
  const [best, ...others] = matches
  const role = columns.get(best!.column)?.role ?? 'text'
  const sorted = [...best!.values].sort(byCount)
  const singular = best!.kind !== 'exact' && SINGLE_ENTITY_ROLES.has(role) && new Set(sorted.map((v) => v.value)).size > 1
  const values = singular ? [sorted[0]!.value] : [...new Set(sorted.map((v) => v.value))]
  const alternatives = [
    ...(singular ? sorted.slice(1, 4).map((v) => ({ column: best!.column, values: [v.value] })) : []),
    ...others.map((m) => ({ column: m.column, values: [...new Set(m.values.map((v) => v.value))].slice(0, 3) })),
  ]
  return { start: span[0]!.index, end: span.at(-1)!.index + 1, phrase: span.map((t) => t.raw).join(' '),
    column: best!.column, values, kind: best!.kind, score: best!.score, unknown: false, alternatives }
}

/** Prefers the column a nearby header word names, then exact readings, then the most rows. */
const rank = (matches: ValueMatch[], nearWords: ReadonlySet<string>, columns: ReadonlyMap<string, ChatColumn>) => {
  // How many nearby words name the column: "Richmond as the away team" prefers Away team over Home team.
  const named = (m: ValueMatch) => {
    const column = columns.get(m.column)
    return column ? [...nearWords].filter((w) => column.words.has(w) || column.synonyms.has(w)).length : 0
  }
  const rows = (m: ValueMatch) => m.values.reduce((sum, v) => sum + v.count, 0)
  return [...matches].sort((a, b) => named(b) - named(a) || b.score - a.score || rows(b) - rows(a))
}

const nearbyWords = (tokens: readonly Token[], start: number, end: number) =>
  new Set(tokens.slice(Math.max(0, start - 3), end + 4).filter((t) => (t.index < start || t.index >= end) && !STOPWORDS.has(t.norm)).map((t) => t.stem))

const linkCode = (token: Token, index: DatasetValueIndex, columns: ReadonlyMap<string, ChatColumn>): ValueMention | null => {
  const exact = lookupValues(index, normalizeText(token.raw).split(' ')).filter((m) => m.kind === 'exact')
  if (exact.length > 0) return toMention([token], exact, columns)
  const [shape, ...others] = matchValueShape(index, token.raw)
  if (!shape) return null
  return { start: token.index, end: token.index + 1, phrase: token.raw, column: shape.column, values: [shape.value],
    kind: 'pattern', score: shape.score, unknown: index.indexedColumns.has(shape.column),
    alternatives: others.map((o) => ({ column: o.column, values: [o.value] })) }
}

/** Cell values the question names: codes first, then the longest word spans (a value beats its parts). */
export const linkValues = (tokens: readonly Token[], index: DatasetValueIndex, columns: ReadonlyMap<string, ChatColumn>,
  reserved: ReadonlySet<number>, extra: DatasetValueIndex | null = null, rowWords: ReadonlySet<string> = new Set()): ValueMention[] => {
  // Values found by SQL in high-cardinality columns for this question join the indexed ones.
  const lookup = (words: readonly string[]) => {
    const all = [...lookupValues(index, words), ...(extra ? lookupValues(extra, words) : [])]
    const exact = all.filter((m) => m.kind === 'exact')
    return exact.length > 0 ? exact : all
  }
  const used = new Set(reserved)
  const mentions: ValueMention[] = []
  // Whole multi-word values first, codes included ("ThinkPad X1 Carbon" before "X1" alone).
  for (let size = MAX_WORDS; size >= 2; size--) {
    for (let start = 0; start + size <= tokens.length; start++) {
      const span = tokens.slice(start, start + size)
      if (span.some((t) => used.has(t.index) || t.kind === 'date') || !span.some((t) => t.kind === 'code')) continue
      const words = span.flatMap((t) => normalizeText(t.raw).split(' '))
      const exact = lookup(words).filter((m) => m.kind === 'exact')
      if (exact.length === 0) continue
      mentions.push(toMention(span, rank(exact, nearbyWords(tokens, start, start + size), columns), columns))
      for (const t of span) used.add(t.index)
    }
  }
  for (const token of tokens) {
    if (token.kind !== 'code' || used.has(token.index)) continue
    const mention = linkCode(token, index, columns)
    if (mention) {
      mentions.push(mention)
      used.add(token.index)
    }
  }
  for (let size = MAX_WORDS; size >= 1; size--) {
    for (let start = 0; start + size <= tokens.length; start++) {
      const span = tokens.slice(start, start + size)
      if (span.some((t) => used.has(t.index) || t.kind === 'date')) continue
      if (span[0]!.kind !== 'word' || (size === 1 && isFiller(span[0]!))) continue
      // A header word ("stock", "elected") or a word naming the rows ("phones", "picture" in best_picture) names
      // its column or the rows; only a whole value may outrank that.
      const strict = size === 1 && (isHeaderWord(span[0]!, columns) || rowWords.has(span[0]!.stem) || isPlural(span[0]!)
        || namesKindOfRow(tokens, start))
      const matches = lookup(span.map((t) => t.norm)).filter((m) => acceptable(span, m) && (!strict || m.kind === 'exact'))
      if (matches.length === 0) continue
      mentions.push(toMention(span, rank(matches, nearbyWords(tokens, start, start + size), columns), columns))
      for (const t of span) used.add(t.index)
    }
  }
  // Last, derived forms of proper names: "Japanese" → Japan, "Democrats" → Democratic.
  for (const token of tokens) {
    if (used.has(token.index) || token.kind !== 'word' || isCommon(token) || isHeaderWord(token, columns)) continue
    if (!token.capitalized && token.norm.length < 7) continue
    const matches = lookupByPrefix(index, token.norm)
    if (matches.length === 0) continue
    mentions.push(toMention([token], rank(matches, nearbyWords(tokens, token.index, token.index + 1), columns), columns))
    used.add(token.index)
  }
  return mentions.sort((a, b) => a.start - b.start)
}

const hasCapital = (token: Token) => /\p{Lu}/u.test(token.raw)

/** A plural common noun ("phones") names kinds of rows, not one entity whose name contains "Phone". */
const isPlural = (token: Token) => !hasCapital(token) && token.norm !== token.stem

/**
 * "which phone has", "the cheapest phone": a lower-case head noun after a question word or superlative names the
 * rows. Before another noun it is a modifier and may be a value ("which asian country").
 */
const namesKindOfRow = (tokens: readonly Token[], at: number) => {
  const before = tokens[at - 1]?.norm ?? ''
  const after = tokens[at + 1]
  const head = !after || STOPWORDS.has(after.norm)
  return head && !hasCapital(tokens[at]!) && (['which', 'what', 'each', 'every'].includes(before) || before in SUPERLATIVES)
}

const isHeaderWord = (token: Token, columns: ReadonlyMap<string, ChatColumn>) =>
  !WEAK_HEADER_WORDS.has(token.stem) && [...columns.values()].some((c) => c.words.has(token.stem))
