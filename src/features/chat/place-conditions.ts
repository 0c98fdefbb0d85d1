import { addDateFilter, addNumberFilter } from './add-filters.ts'
import { defaultDateColumn, dimensionColumn, ageColumn, moneyColumn, measureCandidates, firstOfRole, item, type State } from './parse-state.ts'
import { ROW_NOUNS } from './question-lexicon.ts'
import type { NumberCondition } from './read-conditions.ts'

/** A count condition: the number counts rows ("over 40 devices", "more than 3 laptops"). */
const countsRows = (state: State, n: NumberCondition) => {
  const next = state.tokens[n.end]
  if (!next) return false
  return ROW_NOUNS.has(next.norm) || (state.input.rowWords ?? []).includes(next.stem) || state.values.some((v) => v.start === n.end)
}

/** Dates, numbers and "unassigned" that no column mention claimed go to the column their kind implies. */
export const placeConditions = (state: State) => {
  for (const d of state.dates) {
    const column = defaultDateColumn(state)
    if (column) addDateFilter(state, d, column)
    else state.notes.push(`This dataset has no date column for “${d.phrase}”.`)
  }
  for (const n of state.numbers) {
    if (countsRows(state, n) && !n.money) {
      state.having = { op: n.op, value: n.value }
      state.items.push(item(n.phrase, 'operator', null, String(n.value), `count ${n.op}`))
      continue
    }
    const column = n.hint ? dimensionColumn(state, n.hint) : n.age ? ageColumn(state) : n.money ? moneyColumn(state) : (state.targets.map((t) => state.byName.get(t.column)!).find((c) => c.numeric)
      ?? moneyColumn(state) ?? measureCandidates(state)[0] ?? null)
    if (column) addNumberFilter(state, n, column.name)
    else state.notes.push(`This dataset has no numeric column for “${n.phrase}”.`)
  }
  for (const i of state.cues.missing) {
    const column = firstOfRole(state, ['person_name', 'username'])
    if (!column) continue
    state.filters.push([{ column: column.name, op: 'is_null', values: [], phrase: state.tokens[i]!.raw }])
    state.items.push(item(state.tokens[i]!.raw, 'operator', column.name, null, 'is null'))
    state.used.add(i)
  }
}
