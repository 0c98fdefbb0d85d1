import type { ChatColumn } from './chat-column.ts'
import { addDateFilter } from './add-filters.ts'
import type { State } from './parse-state.ts'

const ORDINALS: Readonly<Record<string, 'asc' | 'desc'>> = { first: 'asc', last: 'desc', earliest: 'asc', latest: 'desc' }

/** Header words of a column that orders the rows by place rather than by time ("Rank", "Pos.", "No."). */
const PLACE_WORDS = new Set(['rank', 'pos', 'position', 'place', 'no', 'number', 'order'])

/** The column "first" and "last" follow when the question names none: time first, then the table's own order. */
export const orderingColumn = (state: State): ChatColumn | null =>
  state.input.columns.find((c) => c.temporal) ?? state.input.columns.find((c) => c.yearLike)
    ?? state.input.columns.find((c) => c.numeric && [...c.words].some((w) => PLACE_WORDS.has(w))) ?? null

/**
 * "who was the last winner", "the first film in the list": an ordinal no column mention took ranks by the
 * table's time or place column. A number after it ("first 10") is a limit, read earlier.
 */
export const placeOrdinal = (state: State) => {
  const { cues } = state
  if (cues.superlative || state.rankColumn || cues.count || cues.aggregate || state.groupBy.length > 0) return
  const token = state.tokens.find((t) => ORDINALS[t.norm] && !state.used.has(t.index) && state.tokens[t.index + 1]?.kind !== 'number')
  const column = token ? orderingColumn(state) : null
  if (!token || !column) return
  cues.superlative = { dir: ORDINALS[token.norm]!, role: null, start: token.index, end: token.index + 1, phrase: token.raw }
  state.rankColumn = column.name
  state.used.add(token.index)
}

const isYear = (n: number | undefined) => n !== undefined && Number.isInteger(n) && n >= 1800 && n <= 2100

/** "who won the 1986 final", "the 2010 season": a bare year no other rule read is that year of the time column. */
export const placeBareYears = (state: State) => {
  const column = state.input.columns.find((c) => c.yearLike) ?? state.input.columns.find((c) => c.temporal)
  if (!column) return
  for (const t of state.tokens) {
    if (state.used.has(t.index) || t.kind !== 'number' || t.currency || !/^\d{4}$/.test(t.raw) || !isYear(t.number)) continue
    addDateFilter(state, { start: t.index, end: t.index + 1, phrase: t.raw, from: `${t.raw}-01-01`,
      to: `${t.number! + 1}-01-01`, year: t.number! }, column)
    state.used.add(t.index)
  }
}
