import type { Filter } from './chat-types.ts'
import { NEGATIONS, ROW_NOUNS, STOPWORDS } from './question-lexicon.ts'
import { item, markUsed, norm, type State } from './parse-state.ts'

/** "not Apple", "do not run Android": a negation before the value, with at most one verb between. */
const isNegated = (state: State, start: number) => {
  let verbs = 0
  for (let i = start - 1; i >= Math.max(0, start - 4); i--) {
    const w = norm(state, i)
    if (NEGATIONS.has(w)) return !(w === 'other' && norm(state, i + 1) !== 'than')
    if (STOPWORDS.has(w) || ROW_NOUNS.has(w)) continue
    // A word that is itself a value or a number ends the reach of the negation.
    if (verbs > 0 || state.tokens[i]!.kind !== 'word' || state.values.some((v) => i >= v.start && i < v.end)) return false
    verbs++
  }
  return false
}

/** Linked values become filters: several values of one column an IN list, a preceding "not" a negation. */
export const valueFilters = (state: State) => {
  const byColumn = new Map<string, Filter>()
  for (const v of state.values) {
    markUsed(state, v.start, v.end)
    const negated = isNegated(state, v.start)
    const key = `${v.column}:${negated}`
    const existing = byColumn.get(key)
    if (existing) {
      existing.values.push(...v.values.filter((x) => !existing.values.includes(x)))
      existing.op = negated ? 'neq' : 'in'
      existing.phrase += ` / ${v.phrase}`
    } else {
      const filter: Filter = { column: v.column, op: negated ? 'neq' : v.values.length > 1 ? 'in' : 'eq', values: [...v.values],
        phrase: v.phrase, ...(v.unknown ? { unknownValue: true } : {}) }
      byColumn.set(key, filter)
      state.filters.push([filter])
    }
    state.items.push(item(v.phrase, 'value', v.column, v.values.join(', '), negated ? 'not' : v.values.length > 1 ? 'in' : '='))
    for (const alt of v.alternatives) {
      state.alternatives.push(`“${v.phrase}” could also mean ${state.byName.get(alt.column)?.label ?? alt.column} = ${alt.values.join(' or ')}`)
    }
    if (v.unknown) state.notes.push(`“${v.phrase}” was not found among the ${state.byName.get(v.column)?.label ?? v.column} values.`)
  }
}

/** "laptops or phones in Lisbon or Berlin" stay IN lists; "or" between different columns makes an OR group. */
export const applyOr = (state: State) => {
  for (const t of state.tokens) {
    if (t.norm !== 'or') continue
    const before = [...state.values].reverse().find((v) => v.end <= t.index)
    const after = state.values.find((v) => v.start > t.index)
    if (!before || !after || before.column === after.column) continue
    const a = state.filters.findIndex((g) => g.some((f) => f.column === before.column))
    const b = state.filters.findIndex((g) => g.some((f) => f.column === after.column))
    if (a < 0 || b < 0 || a === b) continue
    state.filters[a] = [...state.filters[a]!, ...state.filters[b]!]
    state.filters.splice(b, 1)
  }
}
