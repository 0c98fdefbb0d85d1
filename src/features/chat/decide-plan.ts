import type { ChatIntent, Measure, QueryPlan } from './chat-types.ts'
import {
  ageColumn, defaultDateColumn, dimensionColumn, emptyPlan, isCategorical, item, measureCandidates, moneyColumn, pinned, type State,
} from './parse-state.ts'
import { ROW_NOUNS } from './question-lexicon.ts'

/** Turns the placed pieces into a plan: the intent follows from which pieces are present. */
export const decidePlan = (state: State): QueryPlan => {
  const { cues } = state
  const plan = emptyPlan()
  plan.filters = state.filters
  plan.groupBy = [...state.groupBy]
  plan.having = state.having
  const limit = state.limits[0] ?? null
  const superlative = cues.superlative ?? (limit?.dir ? { dir: limit.dir, role: null, start: limit.start, end: limit.end, phrase: limit.phrase } : null)
  const targets = state.targets.map((t) => state.byName.get(t.column)!)
  const categoricalTargets = state.targets.filter((t) => isCategorical(state.byName.get(t.column)!))
  const set = (intent: ChatIntent, measure: Measure | null) => {
    plan.intent = intent
    plan.measure = measure
  }
  const multiValued = state.filters.find((g) => g.length === 1 && g[0]!.op === 'in' && g[0]!.values.length > 1)
  // "Acer versus Asus": one row per compared value, unless the question asks for a column of particular rows.
  if (cues.compare && multiValued && plan.groupBy.length === 0 && !targets.some((t) => t.numeric)) plan.groupBy.push(multiValued[0]!.column)
  // "number of democrats and republicans": a count of each, when only one column lists several values.
  const listed = state.filters.filter((g) => g.length === 1 && g[0]!.op === 'in' && g[0]!.values.length > 1)
  const joinedByAnd = listed.length === 1 && state.tokens.some((t) => t.norm === 'and') && !state.tokens.some((t) => t.norm === 'or')
  if (cues.count && joinedByAnd && plan.groupBy.length === 0 && state.values.filter((v) => v.column === listed[0]![0]!.column).length > 1) {
    plan.groupBy.push(listed[0]![0]!.column)
  }

  // "youngest": the lowest age, or failing an age column the latest date (of birth).
  const age = superlative && 'age' in superlative && superlative.age ? ageColumn(state) : null
  if (age && superlative) superlative.dir = superlative.age === 'young' ? 'asc' : 'desc'
  const dimension = superlative && 'hint' in superlative ? dimensionColumn(state, superlative.hint) : null
  const rankColumn = state.rankColumn ?? age?.name ?? dimension?.name ?? (superlative?.role === 'money' ? moneyColumn(state)?.name
    : superlative?.role === 'date' ? defaultDateColumn(state)?.name : null) ?? null
  const groupTarget = () => plan.groupBy.length === 0 && categoricalTargets[0] ? categoricalTargets[0].column : null

  const pair = state.filters.find((g) => g.length === 1 && g[0]!.op === 'in' && g[0]!.values.length === 2)?.[0]
  const differenceColumn = state.aggregateColumn ?? targets.find((t) => t.numeric)?.name ?? null
  if (cues.difference && pair && differenceColumn) {
    // "Norway than Germany": the first named value minus the second, in question order.
    const [a, b] = pair.values.map(String) as [string, string]
    set('aggregate', { fn: 'difference', column: differenceColumn, between: { column: pair.column, values: [a, b] } })
    return plan
  }
  if (cues.count || state.countDistinct) {
    const measure: Measure = state.countDistinct ? { fn: 'count_distinct', column: state.countDistinct } : { fn: 'count', column: null }
    if (plan.groupBy.length === 0 && (state.having || superlative) && groupTarget()) plan.groupBy.push(groupTarget()!)
    set(plan.groupBy.length > 0 ? (cues.compare ? 'compare' : 'group') : 'count', measure)
  } else if (cues.aggregate && (state.aggregateColumn || cues.howMuch || cues.aggregate.fn === 'sum' || rankColumn || targets.some((t) => t.numeric))) {
    const column = state.aggregateColumn ?? targets.find((t) => t.numeric)?.name ?? (cues.aggregate.fn === 'min' || cues.aggregate.fn === 'max' ? rankColumn : null)
      ?? moneyColumn(state)?.name ?? measureCandidates(state)[0]?.name ?? null
    if (!column) return { ...plan, intent: 'unanswerable' }
    if (plan.groupBy.length === 0 && superlative && groupTarget()) plan.groupBy.push(groupTarget()!)
    set(plan.groupBy.length > 0 ? (cues.compare ? 'compare' : 'group') : 'aggregate', { fn: cues.aggregate.fn, column })
  } else if (superlative && rankColumn) {
    // "what is the highest cost" asks for the value; "which laptop has the highest cost" for the row.
    const namesRows = state.tokens.some((t) => t.index > superlative.start && (ROW_NOUNS.has(t.norm) || (state.input.rowWords ?? []).includes(t.stem)))
    const asksForRow = namesRows || state.tokens.some((t) => ['which', 'who', 'whose', 'list', 'show', 'where'].includes(t.norm))
      || state.values.length > 0 && !state.tokens.some((t) => t.norm === 'what')
    const rank = state.byName.get(rankColumn)!
    const asksForValue = (rank.temporal && state.tokens.some((t) => t.norm === 'when')) || (rank.role === 'money' && cues.howMuch)
    const rankOnly = (targets.length === 1 && targets[0]!.name === rankColumn) || (asksForValue && targets.every((t) => t.name === rankColumn))
      || (targets.length === 0 && state.rankColumn !== null && !asksForRow)
    if (rankOnly && !limit) {
      set('aggregate', { fn: superlative.dir === 'desc' ? 'max' : 'min', column: rankColumn })
    } else {
      plan.intent = 'top'
      plan.select = targets.filter((t) => t.name !== rankColumn).map((t) => t.name)
      if (plan.select.length > 0) plan.select.push(rankColumn)
      plan.filters = [...plan.filters, [{ column: rankColumn, op: 'not_null', values: [], phrase: superlative.phrase }]]
      plan.orderBy = { by: rankColumn, dir: superlative.dir }
      plan.limit = cues.orderOnly ? null : limit?.count ?? 1
      state.items.push(item(superlative.phrase, 'order', rankColumn, null, superlative.dir))
      return plan
    }
  } else if (plan.groupBy.length > 0) {
    set(cues.compare ? 'compare' : 'group', { fn: 'count', column: null })
  } else if (state.having && groupTarget()) {
    // "teams holding over 40 devices": the rows with no team are not a team.
    plan.filters = [...plan.filters, [{ column: groupTarget()!, op: 'not_null', values: [], phrase: state.targets[0]!.column }]]
    plan.groupBy.push(groupTarget()!)
    set('group', { fn: 'count', column: null })
  } else if (superlative && groupTarget()) {
    plan.groupBy.push(groupTarget()!)
    set('group', { fn: 'count', column: null })
  } else if (targets.length > 0 && !(targets.every((t) => t.role === 'identifier') && state.targets.every((t) => t.plural))) {
    plan.select = [...new Set(targets.map((t) => t.name))]
    const categorical = targets.every(isCategorical)
    plan.intent = !pinned(state) && categorical && (cues.distinct || state.targets.some((t) => t.plural) || targets.length === 1)
      ? 'distinct' : 'lookup'
    if (plan.intent === 'distinct' && plan.select.length === 1) plan.orderBy = { by: plan.select[0]!, dir: 'asc' }
  } else {
    plan.intent = 'list'
  }
  if (plan.groupBy.length > 0 && superlative && plan.measure) {
    plan.orderBy = { by: 'measure', dir: superlative.dir }
    plan.limit = cues.orderOnly ? null : limit?.count ?? 1
    plan.filters = [...plan.filters, ...plan.groupBy.map((g) => [{ column: g, op: 'not_null' as const, values: [], phrase: superlative.phrase }])]
    state.items.push(item(superlative.phrase, 'order', null, null, superlative.dir))
  }
  if (state.orderBy && !plan.orderBy) plan.orderBy = state.orderBy
  if (!plan.orderBy && plan.groupBy.length > 0) plan.orderBy = { by: plan.groupBy[0]!, dir: 'asc' }
  if (limit && plan.limit === null && plan.intent === 'list') plan.limit = limit.count
  return plan
}
