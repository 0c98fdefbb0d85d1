import type { ColumnRole } from '../datasets/dataset-types.ts'
import type { ChatColumn } from './chat-column.ts'
import type { ChatIntent, Filter, InterpretationItem, Measure, QueryPlan } from './chat-types.ts'
import type { DatasetValueIndex } from './dataset-value-index.ts'
import { linkColumns, type ColumnMention } from './link-columns.ts'
import { linkValues, type ValueMention } from './link-values.ts'
import { readCues, type QuestionCues } from './question-cues.ts'
import {
  COMMON_WORDS, DIMENSION_HINTS, DISTINCT_CUES, GROUP_CUES, MISSING_CUES, NEGATIONS, ORDER_CUES, PRONOUNS, ROW_NOUNS, STOPWORDS, SUPERLATIVES,
} from './question-lexicon.ts'
import { readDates, readLimits, readNumberConditions, type DateCondition, type LimitCue, type NumberCondition } from './read-conditions.ts'
import { ROLE_CUES } from './role-lexicon.ts'
import { tokenizeQuestion, type Token } from './tokenize-question.ts'

export interface ParseInput {
  question: string
  columns: readonly ChatColumn[]
  index: DatasetValueIndex
  /** Words of the dataset's name: they name rows, like "devices" ("players" in a players table). */
  rowWords?: readonly string[]
}

/** What a question says, before any conversation context is applied. */
export interface ParsedQuestion {
  tokens: Token[]
  plan: QueryPlan
  interpretation: InterpretationItem[]
  alternatives: string[]
  notes: string[]
  /** Words that ask for an attribute no column holds ("battery health"). */
  missingAttribute: string | null
  confidence: number
  /** How much of the question this dataset explained; picks a dataset when none is given. */
  fit: number
  /** What the question itself decided, so a follow-up keeps the rest from the previous turn. */
  explicit: { intent: boolean; targets: boolean; pronoun: boolean; orderOnly: boolean }
}

interface State {
  input: ParseInput
  tokens: Token[]
  byName: Map<string, ChatColumn>
  used: Set<number>
  values: ValueMention[]
  mentions: ColumnMention[]
  dates: DateCondition[]
  numbers: NumberCondition[]
  limits: LimitCue[]
  cues: QuestionCues
  filters: Filter[][]
  targets: { column: string; plural: boolean; start: number }[]
  groupBy: string[]
  orderBy: QueryPlan['orderBy']
  aggregateColumn: string | null
  rankColumn: string | null
  countDistinct: string | null
  having: QueryPlan['having']
  items: InterpretationItem[]
  alternatives: string[]
  notes: string[]
}

const item = (phrase: string, kind: InterpretationItem['kind'], column: string | null, value: string | null = null,
  operator: string | null = null): InterpretationItem => ({ phrase, kind, column, value, operator })

const markUsed = (state: State, start: number, end: number) => {
  for (let i = start; i < end; i++) state.used.add(i)
}

const norm = (state: State, i: number) => state.tokens[i]?.norm ?? ''

const ROLE_PRIORITY: readonly ColumnRole[] = ['person_name', 'organization', 'location', 'category', 'product', 'status',
  'money', 'date', 'identifier', 'username', 'quantity', 'email', 'text', 'boolean']

const firstOfRole = (state: State, roles: readonly ColumnRole[]) =>
  roles.map((role) => state.input.columns.find((c) => c.role === role)).find(Boolean) ?? null

/** Reads dates, numbers and limits first: their tokens are never values or columns. */
const readConditions = (state: State) => {
  state.dates = readDates(state.tokens)
  for (const d of state.dates) markUsed(state, d.start, d.end)
  state.numbers = readNumberConditions(state.tokens, state.used)
  for (const n of state.numbers) markUsed(state, n.start, n.end)
  state.limits = readLimits(state.tokens, new Set([...Object.keys(SUPERLATIVES), 'most', 'least']), state.used)
  for (const l of state.limits) markUsed(state, l.start, l.end)
}

const isNegated = (state: State, start: number) => {
  for (let i = start - 1; i >= Math.max(0, start - 3); i--) {
    const w = norm(state, i)
    if (NEGATIONS.has(w)) return !(w === 'other' && norm(state, i + 1) !== 'than')
    if (!STOPWORDS.has(w) && !ROW_NOUNS.has(w)) return false
  }
  return false
}

const valueFilters = (state: State) => {
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
const applyOr = (state: State) => {
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

const pickColumn = (state: State, mention: ColumnMention) => {
  const columns = mention.columns.map((c) => state.byName.get(c)!).sort((a, b) =>
    ROLE_PRIORITY.indexOf(a.role) - ROLE_PRIORITY.indexOf(b.role) || b.roleConfidence - a.roleConfidence)
  if (columns.length > 1) {
    state.alternatives.push(`“${mention.phrase}” could also mean ${columns.slice(1).map((c) => c.label).join(' or ')}`)
  }
  return columns[0]!
}

const adjacent = (state: State, aEnd: number, bStart: number, gap = 1) => {
  if (bStart < aEnd) return false
  for (let i = aEnd; i < bStart; i++) if (!STOPWORDS.has(norm(state, i)) && !ROW_NOUNS.has(norm(state, i))) return false
  return bStart - aEnd <= gap
}

const isGroupCue = (state: State, start: number) => {
  const [b1, b2, b3] = [norm(state, start - 1), norm(state, start - 2), norm(state, start - 3)]
  if (ORDER_CUES.has(b2) && b1 === 'by') return false
  if (GROUP_CUES.has(b1) || (b1 === 'the' && GROUP_CUES.has(b2))) return !ORDER_CUES.has(b2) && !ORDER_CUES.has(b3)
  return false
}

const isOrderCue = (state: State, start: number) => {
  const [b1, b2] = [norm(state, start - 1), norm(state, start - 2)]
  return ORDER_CUES.has(b1) || (b1 === 'by' && ORDER_CUES.has(b2))
}

const addDateFilter = (state: State, d: DateCondition, column: ChatColumn) => {
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

const addNumberFilter = (state: State, n: NumberCondition, column: string) => {
  state.filters.push([{ column, op: n.op === 'eq' ? 'eq' : n.op, values: [n.value], phrase: n.phrase }])
  if (n.upper !== null) state.filters.push([{ column, op: 'lte', values: [n.upper], phrase: n.phrase }])
  state.items.push(item(n.phrase, 'operator', column, n.upper === null ? String(n.value) : `${n.value} … ${n.upper}`, n.upper === null ? n.op : 'between'))
}

/** Decides what each column mention does: group, order, measure, rank, condition, missing value or target. */
const placeMentions = (state: State) => {
  const { cues } = state
  for (const m of state.mentions) {
    // A role word ("when", "who") defers to a header word naming a column of that role ("when ... bought").
    const roles = new Set(m.columns.map((c) => state.byName.get(c)!.role))
    if (m.score < 0.7 && state.mentions.some((o) => o !== m && o.score >= 0.7
      && o.columns.some((c) => roles.has(state.byName.get(c)!.role)))) {
      markUsed(state, m.start, m.end)
      continue
    }
    const column = pickColumn(state, m)
    const name = column.name
    markUsed(state, m.start, m.end)
    const continuesGroup = state.groupBy.length > 0 && norm(state, m.start - 1) === 'and'
      && state.mentions.some((o) => o.end === m.start - 1 && state.groupBy.includes(o.columns[0]!))
    const numericColumn = column.numeric || column.temporal
    // "smallest city by area", "top 3 cities by population": "by" names the ranking, not a grouping.
    if (numericColumn && norm(state, m.start - 1) === 'by' && (cues.superlative || state.limits.length > 0) && !state.rankColumn) {
      state.rankColumn = name
      continue
    }
    // "founded first", "elected last": rank by the column just named.
    const after = norm(state, m.end)
    if (numericColumn && (after === 'first' || after === 'last') && !cues.superlative && !state.rankColumn) {
      cues.superlative = { dir: after === 'first' ? 'asc' : 'desc', role: null, start: m.end, end: m.end + 1, phrase: `${m.phrase} ${after}` }
      state.rankColumn = name
      state.used.add(m.end)
      continue
    }
    // "out of stock": the quantity is zero.
    if (column.numeric && norm(state, m.start - 1) === 'of' && norm(state, m.start - 2) === 'out') {
      state.filters.push([{ column: name, op: 'lte', values: [0], phrase: `out of ${m.phrase}` }])
      state.items.push(item(`out of ${m.phrase}`, 'operator', name, '0', '<='))
      continue
    }
    if (isGroupCue(state, m.start) || continuesGroup) {
      state.groupBy.push(name)
      state.items.push(item(`${state.tokens[m.start - 1]?.raw ?? ''} ${m.phrase}`.trim(), 'group', name))
      continue
    }
    if (isOrderCue(state, m.start)) {
      state.orderBy = { by: name, dir: cues.descending ? 'desc' : 'asc' }
      state.items.push(item(m.phrase, 'order', name, null, state.orderBy.dir))
      continue
    }
    const absorbed = state.values.some((v) => v.column === name && (adjacent(state, m.end, v.start, 2) || adjacent(state, v.end, m.start, 2)))
    if (absorbed) {
      state.items.push(item(m.phrase, 'column', name))
      continue
    }
    const missingCue = [m.start - 1, m.start - 2].find((i) => MISSING_CUES.has(norm(state, i)) || (NEGATIONS.has(norm(state, i)) && i === m.start - 1))
    if (missingCue !== undefined && adjacent(state, missingCue + 1, m.start)) {
      state.filters.push([{ column: name, op: 'is_null', values: [], phrase: `${state.tokens[missingCue]!.raw} ${m.phrase}` }])
      state.items.push(item(`${state.tokens[missingCue]!.raw} ${m.phrase}`, 'operator', name, null, 'is null'))
      continue
    }
    const numeric = column.numeric || column.temporal
    if (numeric && cues.aggregate && m.start >= cues.aggregate.end && adjacent(state, cues.aggregate.end, m.start, 2) && !state.aggregateColumn) {
      state.aggregateColumn = name
      state.items.push(item(m.phrase, 'measure', name, null, cues.aggregate.fn))
      continue
    }
    const ranks = cues.superlative && ((m.start >= cues.superlative.end && adjacent(state, cues.superlative.end, m.start, 2))
      || adjacent(state, m.end, cues.superlative.start, 1))
    if (numeric && ranks && !state.rankColumn) {
      state.rankColumn = name
      continue
    }
    // "with 362 points", "position 4": a bare number beside a numeric column is an equality.
    const bare = [m.start - 1, m.end].find((i) => state.tokens[i]?.kind === 'number' && !state.used.has(i))
    if (column.numeric && bare !== undefined) {
      const token = state.tokens[bare]!
      state.used.add(bare)
      state.filters.push([{ column: name, op: 'eq', values: [token.number!], phrase: `${m.phrase} ${token.raw}` }])
      state.items.push(item(bare < m.start ? `${token.raw} ${m.phrase}` : `${m.phrase} ${token.raw}`, 'operator', name, token.raw, '='))
      continue
    }
    const number = state.numbers.find((n) => !n.money || column.role === 'money')
    if (column.numeric && number && (adjacent(state, m.end, number.start, 2) || adjacent(state, number.end, m.start, 1))) {
      state.numbers = state.numbers.filter((n) => n !== number)
      addNumberFilter(state, number, name)
      continue
    }
    const date = state.dates.find((d) => adjacent(state, m.end, d.start, 3) || adjacent(state, d.end, m.start, 1))
    if ((column.temporal || column.yearLike) && date) {
      state.dates = state.dates.filter((d) => d !== date)
      addDateFilter(state, date, column)
      continue
    }
    if (cues.count && column.numeric && column.role !== 'identifier' && m.start >= cues.count.end
      && adjacent(state, cues.count.end, m.start, 1) && !state.aggregateColumn) {
      // "how many gold medals did Germany win" / "total number of silver medals": the column holds the counts.
      state.aggregateColumn = name
      cues.aggregate ??= { fn: 'sum', start: cues.count.start, end: cues.count.end }
      cues.count = null
      state.items.push(item(m.phrase, 'measure', name, null, cues.aggregate.fn))
      continue
    }
    const countGap = state.tokens.slice(cues.count?.end ?? 0, m.start).filter((t) => DISTINCT_CUES.has(t.norm)).length
    if (cues.count && m.start >= cues.count.end && adjacent(state, cues.count.end + countGap, m.start, 1) && m.plural
      && !column.numeric && !state.countDistinct && column.role !== 'identifier') {
      state.countDistinct = name
      state.items.push(item(m.phrase, 'measure', name, null, 'count distinct'))
      continue
    }
    state.targets.push({ column: name, plural: m.plural, start: m.start })
    state.items.push(item(m.phrase, 'column', name))
  }
}

const defaultDateColumn = (state: State) =>
  state.input.columns.find((c) => c.temporal) ?? state.input.columns.find((c) => c.yearLike) ?? null

/** The numeric column a dimension word refers to ("tall" → "Height (m)"). */
const dimensionColumn = (state: State, hint: string | null | undefined) => {
  const words = hint ? DIMENSION_HINTS[hint] ?? [] : []
  return state.input.columns.find((c) => c.numeric && words.some((w) => c.words.has(w))) ?? null
}

const ageColumn = (state: State) => state.input.columns.find((c) => c.numeric && c.words.has('age')) ?? null

const moneyColumn = (state: State) =>
  state.input.columns.find((c) => c.role === 'money' && c.numeric) ?? null

const measureCandidates = (state: State) =>
  state.input.columns.filter((c) => c.numeric && c.role !== 'identifier')

/** A count condition: the number counts rows ("over 40 devices", "more than 3 laptops"). */
const countsRows = (state: State, n: NumberCondition) => {
  const next = state.tokens[n.end]
  if (!next) return false
  return ROW_NOUNS.has(next.norm) || (state.input.rowWords ?? []).includes(next.stem) || state.values.some((v) => v.start === n.end)
}

const placeConditions = (state: State) => {
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

/** Question words no column, value or grammar explains. */
const unknownRuns = (state: State) => {
  const runs: { start: number; end: number }[] = []
  const known = (t: Token) => state.used.has(t.index) || t.kind !== 'word' || STOPWORDS.has(t.norm) || ROW_NOUNS.has(t.norm)
    || COMMON_WORDS.has(t.norm) || COMMON_WORDS.has(t.stem) || ROLE_CUES[t.norm] !== undefined || state.cues.used.has(t.index)
    || (state.input.rowWords ?? []).includes(t.stem) || t.norm.length < 3 || NEGATIONS.has(t.norm) || PRONOUNS.has(t.norm)
  for (const t of state.tokens) {
    if (known(t)) continue
    const last = runs.at(-1)
    if (last && last.end === t.index) last.end++
    else runs.push({ start: t.index, end: t.index + 1 })
  }
  return runs
}

const phraseOf = (state: State, start: number, end: number) => state.tokens.slice(start, end).map((t) => t.raw).join(' ')

/** "battery health of IT-7781": an attribute asked of a linked entity that no column holds. */
const findMissingAttribute = (state: State, runs: { start: number; end: number }[]) => {
  if (state.targets.length > 0 || state.aggregateColumn || state.rankColumn || state.cues.count || state.cues.aggregate
    || state.cues.superlative) return null
  for (const run of runs) {
    const after = norm(state, run.end)
    const entityAfter = ['of', 'for', 'on'].includes(after)
      && (state.values.some((v) => v.start === run.end + 1) || PRONOUNS.has(norm(state, run.end + 1))
        || ['the', 'this', 'that'].includes(norm(state, run.end + 1)))
    // "IT-7781 battery health": a trailing attribute after the entity.
    const entityBefore = state.values.some((v) => v.end === run.start) && run.end === state.tokens.length
    if (entityAfter || entityBefore) return phraseOf(state, run.start, run.end)
  }
  return null
}

/** "devices in Narnia": a proper name no column holds is filtered truthfully and reported as not found. */
const placeUnknownValues = (state: State, runs: { start: number; end: number }[]) => {
  for (const run of runs) {
    const before = norm(state, run.start - 1)
    const capitalized = state.tokens[run.start]!.capitalized
    const roles: ColumnRole[] | null = ['in', 'at', 'near'].includes(before) ? ['location', 'organization', 'category']
      : ['from', 'by'].includes(before) ? ['organization', 'person_name', 'location']
        : capitalized ? ['person_name', 'organization', 'location'] : null
    const column = roles && firstOfRole(state, roles)
    if (!column) continue
    const phrase = phraseOf(state, run.start, run.end)
    state.filters.push([{ column: column.name, op: 'eq', values: [phrase], phrase, unknownValue: true }])
    state.items.push(item(phrase, 'value', column.name, phrase, '='))
    state.notes.push(`“${phrase}” was not found among the ${column.label} values.`)
    markUsed(state, run.start, run.end)
  }
}

const isCategorical = (column: ChatColumn) => !column.numeric && !column.temporal

const pinned = (state: State) => state.filters.some((g) => g.length === 1 && g[0]!.op === 'eq'
  && state.byName.get(g[0]!.column)?.role === 'identifier')

const emptyPlan = (): QueryPlan => ({ intent: 'list', select: [], filters: [], groupBy: [], measure: null, having: null,
  orderBy: null, limit: null })

/** Turns the placed pieces into a plan: the intent follows from which pieces are present. */
const decide = (state: State): QueryPlan => {
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
  if (cues.compare && multiValued && plan.groupBy.length === 0) plan.groupBy.push(multiValued[0]!.column)
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

const confidenceOf = (state: State, plan: QueryPlan) => {
  const scores = [...state.values.map((v) => v.score), ...state.mentions.map((m) => m.score)]
  const base = scores.length === 0 ? 0.4 : scores.reduce((a, b) => a + b, 0) / scores.length
  const penalty = Math.min(0.3, 0.1 * state.alternatives.length) + (state.notes.length > 0 ? 0.1 : 0)
  return Math.max(0.05, Math.round((plan.intent === 'unanswerable' ? 0.9 : base * 0.95 - penalty) * 100) / 100)
}

const cueContext = (input: ParseInput) => ({
  headerWords: new Set(input.columns.flatMap((c) => [...c.words])),
  numericWords: new Set(input.columns.filter((c) => c.numeric && c.role !== 'identifier').flatMap((c) => [...c.words])),
})

/** Reads one question against one dataset's columns and values: links, conditions, intent → plan. */
export const parseQuestion = (input: ParseInput): ParsedQuestion => {
  const tokens = tokenizeQuestion(input.question)
  const state: State = {
    input, tokens, byName: new Map(input.columns.map((c) => [c.name, c])), used: new Set(), values: [], mentions: [],
    dates: [], numbers: [], limits: [], cues: readCues(tokens, new Set(), cueContext(input)), filters: [], targets: [], groupBy: [],
    orderBy: null, aggregateColumn: null, rankColumn: null, countDistinct: null, having: null, items: [], alternatives: [], notes: [],
  }
  readConditions(state)
  state.cues = readCues(tokens, state.used, cueContext(input))
  const reserved = new Set([...state.used, ...state.cues.used])
  state.values = linkValues(tokens, input.index, state.byName, reserved)
  valueFilters(state)
  applyOr(state)
  state.mentions = linkColumns(tokens, input.columns, new Set([...state.used, ...state.cues.used]), new Set(input.rowWords ?? []))
  placeMentions(state)
  placeConditions(state)
  const runs = unknownRuns(state)
  const missingAttribute = findMissingAttribute(state, runs)
  if (!missingAttribute) placeUnknownValues(state, runs)
  const plan = missingAttribute ? { ...emptyPlan(), intent: 'unanswerable' as const } : decide(state)
  const fit = state.values.reduce((s, v) => s + v.score * (v.unknown ? 0.3 : 1), 0)
    + state.mentions.reduce((s, m) => s + m.score, 0) - 0.5 * unknownRuns(state).length - (missingAttribute ? 1 : 0)
  return {
    tokens, plan, interpretation: state.items, alternatives: [...new Set(state.alternatives)], notes: state.notes,
    missingAttribute, confidence: confidenceOf(state, plan), fit,
    explicit: {
      intent: Boolean(state.cues.count || state.cues.aggregate || state.cues.superlative || state.limits.length > 0
        || state.groupBy.length > 0 || state.countDistinct || tokens.some((t) => ['list', 'show'].includes(t.norm))),
      targets: state.targets.length > 0, pronoun: state.cues.pronoun,
      orderOnly: state.cues.orderOnly && state.values.length === 0 && state.targets.length === 0,
    },
  }
}
