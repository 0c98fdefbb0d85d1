import { editDistance, typoAllowance } from './edit-distance.ts'
import { normalizeText, stemWord } from './normalize-text.ts'

export interface IndexedValue {
  column: string
  /** The value exactly as stored, bound as a parameter when a question names it. */
  value: string
  count: number
  /** Stemmed, normalized words of the value. */
  words: string[]
}

export type ValueMatchKind = 'exact' | 'words' | 'fuzzy' | 'pattern'

export interface ValueMatch {
  column: string
  values: IndexedValue[]
  kind: ValueMatchKind
  /** 0..1: exact > all words present > typo-tolerant > pattern-shaped. */
  score: number
}

/** Values of one column as read from the table: every distinct value with its row count. */
export interface ColumnValues {
  column: string
  values: { value: string; count: number }[]
}

/** A high-cardinality column is not indexed value by value; a sample of its values gives its shapes. */
export interface ColumnShapes {
  column: string
  samples: string[]
}

export interface DatasetValueIndex {
  datasetId: string
  version: number
  indexedColumns: ReadonlySet<string>
  byPhrase: Map<string, IndexedValue[]>
  byWord: Map<string, IndexedValue[]>
  /** Deletion variants of words, for typo matching without scanning every word (symmetric delete). */
  byDeletion: Map<string, Set<string>>
  shapes: Map<string, { literal: Set<string>; generic: Set<string>; letterCase: 'upper' | 'lower' | 'mixed' }>
}

const phraseKey = (words: readonly string[]) => words.map(stemWord).join(' ')

const pushTo = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

const deletions = (word: string): string[] =>
  Array.from({ length: word.length }, (_, i) => word.slice(0, i) + word.slice(i + 1))

/** Letters kept, digit runs folded: `IT-0042` → `IT-9`; the generic form folds letters too → `A-9`. */
export const valueShape = (value: string) => ({
  literal: value.toUpperCase().replace(/\d+/g, '9'),
  generic: value.toUpperCase().replace(/\d+/g, '9').replace(/[A-Z]+/g, 'A'),
})

const letterCase = (samples: readonly string[]) =>
  samples.every((s) => s === s.toUpperCase()) ? 'upper' : samples.every((s) => s === s.toLowerCase()) ? 'lower' : 'mixed'

export const buildDatasetValueIndex = (input: {
  datasetId: string
  version: number
  columns: readonly ColumnValues[]
  shapes: readonly ColumnShapes[]
}): DatasetValueIndex => {
  const index: DatasetValueIndex = {
    datasetId: input.datasetId, version: input.version, indexedColumns: new Set(input.columns.map((c) => c.column)),
    byPhrase: new Map(), byWord: new Map(), byDeletion: new Map(), shapes: new Map(),
  }
  for (const { column, values } of input.columns) {
    for (const { value, count } of values) {
      const words = normalizeText(value).split(' ').filter(Boolean).map(stemWord)
      if (words.length === 0) continue
      const entry: IndexedValue = { column, value, count, words }
      pushTo(index.byPhrase, words.join(' '), entry)
      for (const word of new Set(words)) pushTo(index.byWord, word, entry)
    }
  }
  for (const word of index.byWord.keys()) {
    if (typoAllowance(word.length) === 0) continue
    for (const variant of deletions(word)) {
      const set = index.byDeletion.get(variant) ?? new Set<string>()
      set.add(word)
      index.byDeletion.set(variant, set)
    }
  }
  for (const { column, samples } of input.shapes) {
    const shapes = samples.map(valueShape)
    index.shapes.set(column, { literal: new Set(shapes.map((s) => s.literal)), generic: new Set(shapes.map((s) => s.generic)),
      letterCase: letterCase(samples) })
  }
  return index
}

/** Indexed words within the typo allowance of `word`, with their distance. */
const similarWords = (index: DatasetValueIndex, word: string): { word: string; distance: number }[] => {
  const allowance = typoAllowance(word.length)
  if (allowance === 0) return []
  const candidates = new Set<string>(index.byDeletion.get(word) ?? [])
  for (const variant of deletions(word)) {
    if (index.byWord.has(variant)) candidates.add(variant)
    for (const candidate of index.byDeletion.get(variant) ?? []) candidates.add(candidate)
  }
  return [...candidates]
    .map((candidate) => ({ word: candidate, distance: editDistance(word, candidate, allowance) }))
    .filter((c) => c.distance > 0 && c.distance <= allowance)
}

/**
 * Indexed words sharing a long common prefix with `word` ("japanese" → "japan", "democrats" → "democratic"):
 * the derived forms a one-edit typo cannot reach.
 */
export const prefixWords = (index: DatasetValueIndex, word: string): string[] => {
  if (word.length < 5) return []
  const found: string[] = []
  for (const candidate of index.byWord.keys()) {
    if (candidate.length < 4 || candidate === word || candidate[0] !== word[0]) continue
    let common = 0
    while (common < word.length && common < candidate.length && word[common] === candidate[common]) common++
    if (common >= 4 && common >= 0.75 * Math.min(word.length, candidate.length)) found.push(candidate)
  }
  return found
}

/** Values holding a word that shares a long prefix with `word`; weaker than a typo match. */
export const lookupByPrefix = (index: DatasetValueIndex, word: string): ValueMatch[] => {
  const values = prefixWords(index, stemWord(word)).flatMap((w) => index.byWord.get(w) ?? [])
  return values.length === 0 ? [] : groupByColumn([...new Set(values)], 'fuzzy', 0.4).sort((a, b) => b.values.length - a.values.length)
}

const groupByColumn = (values: readonly IndexedValue[], kind: ValueMatchKind, score: number): ValueMatch[] => {
  const byColumn = new Map<string, IndexedValue[]>()
  for (const value of values) pushTo(byColumn, value.column, value)
  return [...byColumn].map(([column, list]) => ({ column, values: list, kind, score }))
}

/** Values holding every one of `words` (each exactly or, failing that, as a typo). */
const valuesWithWords = (index: DatasetValueIndex, words: readonly string[]): { values: IndexedValue[]; typos: number } => {
  let result: IndexedValue[] | null = null
  let typos = 0
  for (const word of words) {
    let hits = index.byWord.get(word) ?? []
    if (hits.length === 0) {
      const similar = similarWords(index, word)
      if (similar.length === 0) return { values: [], typos }
      typos += Math.min(...similar.map((s) => s.distance))
      hits = similar.flatMap((s) => index.byWord.get(s.word) ?? [])
    }
    const allowed: Set<IndexedValue> = new Set(hits)
    result = result === null ? [...allowed] : result.filter((v) => allowed.has(v))
    if (result.length === 0) return { values: [], typos }
  }
  return { values: result ?? [], typos }
}

/**
 * Values a phrase of the question may name: the whole value ("ana reyes"), values containing all its words
 * ("reyes", "zenbook pro"), or the same with typos ("zenbok"). Best readings first.
 */
export const lookupValues = (index: DatasetValueIndex, phraseWords: readonly string[]): ValueMatch[] => {
  const words = phraseWords.map(stemWord)
  const exact = index.byPhrase.get(phraseKey(words))
  if (exact) return groupByColumn(exact, 'exact', 1)
  const { values, typos } = valuesWithWords(index, words)
  if (values.length === 0) return []
  const kind: ValueMatchKind = typos > 0 ? 'fuzzy' : 'words'
  const score = typos > 0 ? Math.max(0.35, 0.65 - 0.1 * typos) : 0.8
  return groupByColumn(values, kind, score).sort((a, b) => b.values.length - a.values.length)
}

/** Columns whose values have the shape of a code typed in the question (`it-7781` → the asset tag column). */
export const matchValueShape = (index: DatasetValueIndex, token: string): { column: string; value: string; score: number }[] => {
  const shape = valueShape(token)
  const matches: { column: string; value: string; score: number }[] = []
  for (const [column, shapes] of index.shapes) {
    // The generic shape ("A-9") is weak evidence; short tokens like "x1" would match any code column.
    const score = shapes.literal.has(shape.literal) ? 0.9 : token.length >= 5 && shapes.generic.has(shape.generic) ? 0.5 : 0
    if (score === 0) continue
    const value = shapes.letterCase === 'upper' ? token.toUpperCase() : shapes.letterCase === 'lower' ? token.toLowerCase() : token
    matches.push({ column, value, score })
  }
  return matches.sort((a, b) => b.score - a.score)
}
