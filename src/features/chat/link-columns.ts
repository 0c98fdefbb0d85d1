import { WEAK_HEADER_WORDS, type ChatColumn } from './chat-column.ts'
import { ROW_NOUNS, STOPWORDS } from './question-lexicon.ts'
import { ROLE_CUES } from './role-lexicon.ts'
import { rootWord } from './normalize-text.ts'
import type { Token } from './tokenize-question.ts'

export interface ColumnMention {
  start: number
  /** Exclusive. */
  end: number
  phrase: string
  /** Best-scoring columns; more than one when the words fit several equally. */
  columns: string[]
  score: number
  /** The head word is plural ("brands"): the question asks about several values. */
  plural: boolean
}

const IRREGULAR_PLURALS = new Set(['people', 'men', 'women', 'children', 'staff', 'personnel', 'data'])

/** How strongly one question word names each column: header word > synonym > role cue. */
const wordScores = (token: Token, columns: readonly ChatColumn[], rowWords: ReadonlySet<string>): Map<string, number> => {
  const scores = new Map<string, number>()
  if (token.kind !== 'word') return scores
  const cueRoles = ROLE_CUES[token.norm] ?? []
  const root = rootWord(token.norm)
  // Words naming the rows ("devices", or "employees" in an employees table) only help a longer mention.
  const weak = WEAK_HEADER_WORDS.has(token.stem) || ROW_NOUNS.has(token.norm) || rowWords.has(token.stem)
  for (const column of columns) {
    let score = 0
    // A header made only of weak words ("No.", "Name") is named by them: "what number did … wear".
    const weakHere = weak && !(column.weakOnly && WEAK_HEADER_WORDS.has(token.stem) && !ROW_NOUNS.has(token.norm))
    if (column.words.has(token.stem) || column.words.has(token.norm)) score = weakHere ? 0.3 : 1
    else if (column.synonyms.has(token.stem)) score = weakHere ? 0.3 : 0.7
    else if (root.length >= 3 && column.roots.has(root)) score = weak ? 0.3 : 0.8
    else if (!rowWords.has(token.stem) && cueRoles.includes(column.role)) score = 0.5 - 0.05 * cueRoles.indexOf(column.role)
    if (score > 0) scores.set(column.name, score)
  }
  return scores
}

const shared = (a: ReadonlySet<string>, b: ReadonlyMap<string, number>) => new Set([...a].filter((k) => b.has(k)))

/** "GDP per capita", "date of birth": a grammar word inside a header joins the words around it into one mention. */
const bridges = (tokens: readonly Token[], scores: readonly Map<string, number>[], columns: readonly ChatColumn[],
  candidates: ReadonlySet<string>, at: number) => {
  const word = tokens[at]
  const next = scores[at + 1]
  if (!word || !next || !STOPWORDS.has(word.norm)) return false
  return columns.some((c) => candidates.has(c.name) && c.words.has(word.norm) && next.has(c.name))
}

/**
 * Several columns fit a mention equally ("goals" → GF and GA): the one other words of the question also name
 * wins ("scored", "conceded"). Ties stay, and the parser reports them as alternatives.
 */
const preferNamedElsewhere = (mention: ColumnMention, scores: readonly Map<string, number>[]) => {
  if (mention.columns.length < 2) return mention
  const elsewhere = (c: string) => scores.reduce((sum, m, i) => sum + (i < mention.start || i >= mention.end ? m.get(c) ?? 0 : 0), 0)
  const best = Math.max(...mention.columns.map(elsewhere))
  return best > 0 ? { ...mention, columns: mention.columns.filter((c) => elsewhere(c) === best) } : mention
}

/**
 * Columns the question names by header words ("purchase date"), synonyms ("brand" for Manufacturer) or
 * role words ("city" for a location column). Adjacent words naming the same column form one mention.
 */
export const linkColumns = (tokens: readonly Token[], columns: readonly ChatColumn[], used: ReadonlySet<number>,
  rowWords: ReadonlySet<string> = new Set()): ColumnMention[] => {
  const scores = tokens.map((t) => (used.has(t.index) || (STOPWORDS.has(t.norm) && !ROLE_CUES[t.norm]) ? new Map<string, number>()
    : wordScores(t, columns, rowWords)))
  const mentions: ColumnMention[] = []
  for (let i = 0; i < tokens.length; i++) {
    if (scores[i]!.size === 0) continue
    let candidates = new Set(scores[i]!.keys())
    let end = i + 1
    for (;;) {
      if (end < tokens.length && scores[end]!.size > 0 && shared(candidates, scores[end]!).size > 0) {
        candidates = shared(candidates, scores[end]!)
        end++
      } else if (bridges(tokens, scores, columns, candidates, end)) {
        candidates = new Set([...candidates].filter((c) => scores[end + 1]!.has(c) && columns.find((k) => k.name === c)!.words.has(tokens[end]!.norm)))
        end++
      } else break
    }
    const totals = [...candidates].map((c) => ({ c, total: scores.slice(i, end).reduce((s, m) => s + (m.get(c) ?? 0), 0) }))
    const best = Math.max(...totals.map((t) => t.total))
    if (best >= 0.5) {
      const head = tokens[end - 1]!
      mentions.push(preferNamedElsewhere({ start: i, end, phrase: tokens.slice(i, end).map((t) => t.raw).join(' '),
        columns: totals.filter((t) => t.total === best).map((t) => t.c), score: Math.min(1, best),
        plural: head.norm !== head.stem || IRREGULAR_PLURALS.has(head.norm) }, scores))
    }
    i = end - 1
  }
  return mentions
}
