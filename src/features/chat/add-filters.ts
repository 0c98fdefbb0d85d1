import type { ChatColumn } from './chat-column.ts'
import { item, type State } from './parse-state.ts'
import type { DateCondition, NumberCondition } from './read-conditions.ts'

/** A date phrase on a column: a half-open range on dates, whole years on year-like numbers. */
export const addDateFilter = (state: State, d: DateCondition, column: ChatColumn) => {
  if (column.temporal) {
    if (d.from) state.filters.push([{ column: column.name, op: 'gte', values: [d.from], phrase: d.phrase }])
    if (d.to) state.filters.push([{ column: column.name, op: 'lt', values: [d.to], phrase: d.phrase }])
  } else {
    const from = d.from ? Number(d.from.slice(0, 4)) : null
    const to = d.to ? Number(d.to.slice(0, 4)) : null
    if (from !== null) state.filters.push([{ column: column.name, op: 'gte', values: [from], phrase: d.phrase }])
    if (to !== null) state.filters.push([{ column: column.name, op: 'lt', values: [to], phrase: d.phrase }])
  }
  state.items.push(item(d.phrase, 'operator', column.name, [d.from, d.to].filter(Boolean).join(' … '), 'date range'))
}

export const addNumberFilter = (state: State, n: NumberCondition, column: string) => {
  state.filters.push([{ column, op: n.op === 'eq' ? 'eq' : n.op, values: [n.value], phrase: n.phrase }])
  if (n.upper !== null) state.filters.push([{ column, op: 'lte', values: [n.upper], phrase: n.phrase }])
  state.items.push(item(n.phrase, 'operator', column, n.upper === null ? String(n.value) : `${n.value} … ${n.upper}`, n.upper === null ? n.op : 'between'))
}
