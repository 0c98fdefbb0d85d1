import type { ChatColumn } from './chat-column.ts'
import type { ChatIntent, Measure, QueryPlan } from './chat-types.ts'
import {
  ageColumn, defaultDateColumn, dimensionColumn, emptyPlan, isCategorical, item, measureCandidates, moneyColumn, pinned, type State,
} from './parse-state.ts'
import type { QuestionCues } from './question-cues.ts'
import { ROW_NOUNS } from './question-lexicon.ts'

type Superlative = NonNullable<QuestionCues['superlative']>

/** What every decision step reads: the plan being filled and the question's pieces. */
interface Decision {
  state: State
  plan: QueryPlan
  superlative: Superlative | null
  limit: State['limits'][number] | null
  targets: ChatColumn[]
  rankColumn: string | null
}

const set = (d: Decision, intent: ChatIntent, measure: Measure | null) => {
  d.plan.intent = intent
  d.plan.measure = measure
}

/** The first categorical column asked about, as a grouping when none is explicit ("which site has the fewest"). */
const groupTarget = (d: Decision) => {
  const target = d.state.targets.find((t) => isCategorical(d.state.byName.get(t.column)!))
  return d.plan.groupBy.length === 0 && target ? target.column : null
}

/** "youngest" ranks by the lowest age (or latest date); "tallest" by a height column; "priciest" by money. */
const rankingOf = (state: State, limit: Decision['limit']) => {
  const base: Superlative | null = state.cues.superlative
    ?? (limit?.dir ? { dir: limit.dir, role: null, start: limit.start, end: limit.end, phrase: limit.phrase } : null)
  const age = base?.age ? ageColumn(state) : null
  const superlative = base && age ? { ...base, dir: base.age === 'young' ? 'asc' as const : 'desc' as const } : base
  const implied = superlative?.role === 'money' ? moneyColumn(state)?.name
    : superlative?.role === 'date' ? defaultDateColumn(state)?.name : null
  const rankColumn = state.rankColumn ?? age?.name ?? dimensionColumn(state, superlative?.hint)?.name ?? implied ?? null
  return { superlative, rankColumn }
}

/** Groupings the words imply: "Acer versus Asus", "number of democrats and republicans". */
const implicitGroups = (d: Decision) => {
  const { state, plan } = d
  const listed = state.filters.filter((g) => g.length === 1 && g[0]!.op === 'in' && g[0]!.values.length > 1)
  const first = listed[0]?.[0]
  if (!first || plan.groupBy.length > 0) return
  // One row per compared value, unless the question asks for a column of particular rows.
  if (state.cues.compare && !d.targets.some((t) => t.numeric)) {
    plan.groupBy.push(first.column)
    return
  }
  const joinedByAnd = listed.length === 1 && state.tokens.some((t) => t.norm === 'and') && !state.tokens.some((t) => t.norm === 'or')
  if (state.cues.count && joinedByAnd && state.values.filter((v) => v.column === first.column).length > 1) plan.groupBy.push(first.column)
}

/** "how many more gold medals did Norway win than Germany": the first named value minus the second. */
const decideDifference = (d: Decision) => {
  const pair = d.state.filters.find((g) => g.length === 1 && g[0]!.op === 'in' && g[0]!.values.length === 2)?.[0]
  const hint = d.state.cues.differenceHint
  const hinted = hint === 'money' ? moneyColumn(d.state) : hint === 'age' ? ageColumn(d.state) : dimensionColumn(d.state, hint)
  const column = d.state.aggregateColumn ?? d.targets.find((t) => t.numeric)?.name ?? hinted?.name ?? null
  if (!d.state.cues.difference || !pair || !column) return false
  const [a, b] = pair.values.map(String) as [string, string]
  set(d, 'aggregate', { fn: 'difference', column, between: { column: pair.column, values: [a, b] } })
  return true
}

const decideCount = (d: Decision) => {
  const { state, plan } = d
  const measure: Measure = state.countDistinct ? { fn: 'count_distinct', column: state.countDistinct } : { fn: 'count', column: null }
  if (plan.groupBy.length === 0 && (state.having || d.superlative) && groupTarget(d)) plan.groupBy.push(groupTarget(d)!)
  set(d, plan.groupBy.length > 0 ? (state.cues.compare ? 'compare' : 'group') : 'count', measure)
}

/** Sum/avg/min/max of the named column, or of the money column for "how much" and "spend". */
const decideAggregate = (d: Decision) => {
  const { state, plan } = d
  const aggregate = state.cues.aggregate!
  const extreme = aggregate.fn === 'min' || aggregate.fn === 'max' ? d.rankColumn : null
  const column = state.aggregateColumn ?? d.targets.find((t) => t.numeric)?.name ?? extreme
    ?? moneyColumn(state)?.name ?? measureCandidates(state)[0]?.name ?? null
  if (!column) {
    plan.intent = 'unanswerable'
    return
  }
  if (plan.groupBy.length === 0 && d.superlative && groupTarget(d)) plan.groupBy.push(groupTarget(d)!)
  set(d, plan.groupBy.length > 0 ? (state.cues.compare ? 'compare' : 'group') : 'aggregate', { fn: aggregate.fn, column })
}

/** "what is the highest cost" asks for the value; "which laptop has the highest cost" for the row. */
const asksForValueOnly = (d: Decision, superlative: Superlative, rankColumn: string) => {
  const { state, targets } = d
  const namesRows = state.tokens.some((t) => t.index > superlative.start
    && (ROW_NOUNS.has(t.norm) || (state.input.rowWords ?? []).includes(t.stem)))
  const asksForRow = namesRows || state.tokens.some((t) => ['which', 'who', 'whose', 'list', 'show', 'where'].includes(t.norm))
    || (state.values.length > 0 && !state.tokens.some((t) => t.norm === 'what'))
  const rank = state.byName.get(rankColumn)!
  const valueWord = (rank.temporal && state.tokens.some((t) => t.norm === 'when')) || (rank.role === 'money' && state.cues.howMuch)
  return (targets.length === 1 && targets[0]!.name === rankColumn) || (valueWord && targets.every((t) => t.name === rankColumn))
    || (targets.length === 0 && state.rankColumn !== null && !asksForRow)
}

/** Top-N rows by the ranking column, or its extreme value when only the value is asked for. */
const decideRanking = (d: Decision, superlative: Superlative, rankColumn: string) => {
  const { state, plan } = d
  if (asksForValueOnly(d, superlative, rankColumn) && !d.limit) {
    set(d, 'aggregate', { fn: superlative.dir === 'desc' ? 'max' : 'min', column: rankColumn })
    return
  }
  plan.intent = 'top'
  plan.select = d.targets.filter((t) => t.name !== rankColumn).map((t) => t.name)
  if (plan.select.length > 0) plan.select.push(rankColumn)
  plan.filters = [...plan.filters, [{ column: rankColumn, op: 'not_null', values: [], phrase: superlative.phrase }]]
  plan.orderBy = { by: rankColumn, dir: superlative.dir }
  plan.limit = state.cues.orderOnly ? null : d.limit?.count ?? 1
  state.items.push(item(superlative.phrase, 'order', rankColumn, null, superlative.dir))
}

/** Columns asked about: their values for one entity, or the distinct values across many rows. */
const decideTargets = (d: Decision) => {
  const { state, plan, targets } = d
  plan.select = [...new Set(targets.map((t) => t.name))]
  const distinct = !pinned(state) && targets.every(isCategorical)
    && (state.cues.distinct || state.targets.some((t) => t.plural) || targets.length === 1)
  plan.intent = distinct ? 'distinct' : 'lookup'
  if (distinct && plan.select.length === 1) plan.orderBy = { by: plan.select[0]!, dir: 'asc' }
}

/** Grouped superlatives keep the top groups; other groupings read in group order. */
const finishOrdering = (d: Decision) => {
  const { state, plan, superlative, limit } = d
  if (plan.groupBy.length > 0 && superlative && plan.measure) {
    plan.orderBy = { by: 'measure', dir: superlative.dir }
    plan.limit = state.cues.orderOnly ? null : limit?.count ?? 1
    // The rows with no value are not a group anyone asks for ("which site has the fewest").
    plan.filters = [...plan.filters, ...plan.groupBy.map((g) => [{ column: g, op: 'not_null' as const, values: [], phrase: superlative.phrase }])]
    state.items.push(item(superlative.phrase, 'order', null, null, superlative.dir))
  }
  if (state.orderBy && !plan.orderBy) plan.orderBy = state.orderBy
  if (!plan.orderBy && plan.groupBy.length > 0) plan.orderBy = { by: plan.groupBy[0]!, dir: 'asc' }
  if (limit && plan.limit === null && plan.intent === 'list') plan.limit = limit.count
}

/** Turns the placed pieces into a plan: the intent follows from which pieces are present. */
export const decidePlan = (state: State): QueryPlan => {
  const plan: QueryPlan = { ...emptyPlan(), filters: state.filters, groupBy: [...state.groupBy], having: state.having }
  const limit = state.limits[0] ?? null
  const { superlative, rankColumn } = rankingOf(state, limit)
  const targets = state.targets.map((t) => state.byName.get(t.column)!)
  const d: Decision = { state, plan, superlative, limit, targets, rankColumn }
  implicitGroups(d)
  if (decideDifference(d)) return plan
  const { cues } = state
  const numericAggregate = cues.aggregate && (state.aggregateColumn || cues.howMuch || cues.aggregate.fn === 'sum' || rankColumn
    || targets.some((t) => t.numeric))
  if (cues.count || state.countDistinct) decideCount(d)
  else if (numericAggregate) decideAggregate(d)
  else if (superlative && rankColumn) {
    decideRanking(d, superlative, rankColumn)
    if (plan.intent === 'top') return plan
  } else if (plan.groupBy.length > 0) set(d, cues.compare ? 'compare' : 'group', { fn: 'count', column: null })
  else if ((state.having || superlative) && groupTarget(d)) {
    // "teams holding over 40 devices": the rows with no team are not a team.
    if (state.having) plan.filters = [...plan.filters, [{ column: groupTarget(d)!, op: 'not_null', values: [], phrase: state.targets[0]!.column }]]
    plan.groupBy.push(groupTarget(d)!)
    set(d, 'group', { fn: 'count', column: null })
  } else if (targets.length > 0 && !(targets.every((t) => t.role === 'identifier') && state.targets.every((t) => t.plural))) decideTargets(d)
  else plan.intent = 'list'
  if (plan.intent === 'unanswerable') return plan
  finishOrdering(d)
  return plan
}
