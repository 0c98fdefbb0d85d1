import { addDateFilter, addNumberFilter } from './add-filters.ts'
import type { ChatColumn } from './chat-column.ts'
import type { ColumnMention } from './link-columns.ts'
import { adjacent, item, markUsed, norm, ROLE_PRIORITY, type State } from './parse-state.ts'
import { DISTINCT_CUES, GROUP_CUES, MISSING_CUES, NEGATIONS, ORDER_CUES } from './question-lexicon.ts'

const pickColumn = (state: State, mention: ColumnMention) => {
  const columns = mention.columns.map((c) => state.byName.get(c)!).sort((a, b) =>
    ROLE_PRIORITY.indexOf(a.role) - ROLE_PRIORITY.indexOf(b.role) || b.roleConfidence - a.roleConfidence)
  if (columns.length > 1) {
    state.alternatives.push(`“${mention.phrase}” could also mean ${columns.slice(1).map((c) => c.label).join(' or ')}`)
  }
  return columns[0]!
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

/** One way a column mention can be read; returns true when it took the mention. */
type MentionRule = (state: State, m: ColumnMention, column: ChatColumn) => boolean

const isRanked = (column: ChatColumn) => column.numeric || column.temporal

/** "smallest city by area", "top 3 cities by population": "by" names the ranking, not a grouping. */
const rankedBy: MentionRule = (state, m, column) => {
  if (!isRanked(column) || norm(state, m.start - 1) !== 'by' || state.rankColumn) return false
  if (!state.cues.superlative && state.limits.length === 0) return false
  state.rankColumn = column.name
  return true
}

/** "founded first", "elected last": rank by the column just named. */
const firstOrLast: MentionRule = (state, m, column) => {
  const after = norm(state, m.end)
  if (!isRanked(column) || (after !== 'first' && after !== 'last') || state.cues.superlative || state.rankColumn) return false
  state.cues.superlative = { dir: after === 'first' ? 'asc' : 'desc', role: null, start: m.end, end: m.end + 1, phrase: `${m.phrase} ${after}` }
  state.rankColumn = column.name
  state.used.add(m.end)
  return true
}

/** "out of stock": the quantity is zero. */
const outOf: MentionRule = (state, m, column) => {
  if (!column.numeric || norm(state, m.start - 1) !== 'of' || norm(state, m.start - 2) !== 'out') return false
  state.filters.push([{ column: column.name, op: 'lte', values: [0], phrase: `out of ${m.phrase}` }])
  state.items.push(item(`out of ${m.phrase}`, 'operator', column.name, '0', '<='))
  return true
}

/** "per site", "by brand", "for each team", and "… and status" after a grouping. */
const grouping: MentionRule = (state, m, column) => {
  const continues = state.groupBy.length > 0 && norm(state, m.start - 1) === 'and'
    && state.mentions.some((o) => o.end === m.start - 1 && state.groupBy.includes(o.columns[0]!))
  if (!isGroupCue(state, m.start) && !continues) return false
  state.groupBy.push(column.name)
  state.items.push(item(`${state.tokens[m.start - 1]?.raw ?? ''} ${m.phrase}`.trim(), 'group', column.name))
  return true
}

const ordering: MentionRule = (state, m, column) => {
  if (!isOrderCue(state, m.start)) return false
  state.orderBy = { by: column.name, dir: state.cues.descending ? 'desc' : 'asc' }
  state.items.push(item(m.phrase, 'order', column.name, null, state.orderBy.dir))
  return true
}

/** "tag IT-7781", "Richmond as the away team": the column only names the value's column. */
const namesValue: MentionRule = (state, m, column) => {
  const absorbed = state.values.some((v) => v.column === column.name
    && (adjacent(state, m.end, v.start, 2) || adjacent(state, v.end, m.start, 2)))
  if (absorbed) state.items.push(item(m.phrase, 'column', column.name))
  return absorbed
}

/** "without an owner", "no warranty end": the value is missing. */
const missing: MentionRule = (state, m, column) => {
  const cue = [m.start - 1, m.start - 2].find((i) => MISSING_CUES.has(norm(state, i)) || (NEGATIONS.has(norm(state, i)) && i === m.start - 1))
  if (cue === undefined || !adjacent(state, cue + 1, m.start)) return false
  const phrase = `${state.tokens[cue]!.raw} ${m.phrase}`
  state.filters.push([{ column: column.name, op: 'is_null', values: [], phrase }])
  state.items.push(item(phrase, 'operator', column.name, null, 'is null'))
  return true
}

/** "total cost", "average price of": the column an aggregate word applies to. */
const aggregated: MentionRule = (state, m, column) => {
  const aggregate = state.cues.aggregate
  if (!isRanked(column) || !aggregate || m.start < aggregate.end || !adjacent(state, aggregate.end, m.start, 2) || state.aggregateColumn) return false
  state.aggregateColumn = column.name
  state.items.push(item(m.phrase, 'measure', column.name, null, aggregate.fn))
  return true
}

/** "highest cost", "earns the most": the column a superlative ranks by. */
const ranked: MentionRule = (state, m, column) => {
  const superlative = state.cues.superlative
  if (!isRanked(column) || !superlative || state.rankColumn) return false
  const after = m.start >= superlative.end && adjacent(state, superlative.end, m.start, 2)
  if (!after && !adjacent(state, m.end, superlative.start, 1)) return false
  state.rankColumn = column.name
  return true
}

/** "with 362 points", "position 4": a bare number beside a numeric column is an equality. */
const bareNumber: MentionRule = (state, m, column) => {
  const at = [m.start - 1, m.end].find((i) => state.tokens[i]?.kind === 'number' && !state.used.has(i))
  if (!column.numeric || at === undefined) return false
  const token = state.tokens[at]!
  state.used.add(at)
  const phrase = at < m.start ? `${token.raw} ${m.phrase}` : `${m.phrase} ${token.raw}`
  state.filters.push([{ column: column.name, op: 'eq', values: [token.number!], phrase }])
  state.items.push(item(phrase, 'operator', column.name, token.raw, '='))
  return true
}

/** "cost over 1000", "over 40 points": a comparison next to its column. */
const compared: MentionRule = (state, m, column) => {
  const number = state.numbers.find((n) => !n.money || column.role === 'money')
  if (!column.numeric || !number || !(adjacent(state, m.end, number.start, 2) || adjacent(state, number.end, m.start, 1))) return false
  state.numbers = state.numbers.filter((n) => n !== number)
  addNumberFilter(state, number, column.name)
  return true
}

/** "purchased in 2021", "warranty ends before 2025": a date phrase next to its column. */
const dated: MentionRule = (state, m, column) => {
  const date = state.dates.find((d) => adjacent(state, m.end, d.start, 3) || adjacent(state, d.end, m.start, 1))
  // Whole years also compare with any integer column named right before them ("founded before 1500").
  const wholeYears = date && [date.from, date.to].every((d) => d === null || d.endsWith('-01-01'))
  // Only a column whose values reach year sizes: "won in 2010" is not a number of wins.
  const integer = (column.type === 'integer' || column.type === 'bigint') && (column.maxNumber ?? 0) >= 100
  if (!date || !(column.temporal || column.yearLike || (integer && wholeYears && adjacent(state, m.end, date.start, 1)))) return false
  state.dates = state.dates.filter((d) => d !== date)
  addDateFilter(state, date, column)
  return true
}

/** "how many gold medals did Germany win", "total number of silver medals": the column holds the counts. */
const countedColumn: MentionRule = (state, m, column) => {
  const count = state.cues.count
  const start = state.cues.difference && state.cues.used.has(count?.end ?? -1) ? (count?.end ?? 0) + 1 : count?.end ?? 0
  if (!count || !column.numeric || column.role === 'identifier' || m.start < count.end || !adjacent(state, start, m.start, 1)) return false
  if (state.aggregateColumn) return false
  state.aggregateColumn = column.name
  state.cues.aggregate ??= { fn: 'sum', start: count.start, end: count.end }
  state.cues.count = null
  state.items.push(item(m.phrase, 'measure', column.name, null, state.cues.aggregate.fn))
  return true
}

/** "how many (different) brands": count the distinct values. */
const countedValues: MentionRule = (state, m, column) => {
  const count = state.cues.count
  if (!count || m.start < count.end || !m.plural || column.numeric || column.role === 'identifier' || state.countDistinct) return false
  const gap = state.tokens.slice(count.end, m.start).filter((t) => DISTINCT_CUES.has(t.norm)).length
  if (!adjacent(state, count.end + gap, m.start, 1)) return false
  state.countDistinct = column.name
  state.items.push(item(m.phrase, 'measure', column.name, null, 'count distinct'))
  return true
}

/** "which products are available", "not discontinued": a yes/no column named as a property is a filter. */
const flag: MentionRule = (state, m, column) => {
  if (column.type !== 'boolean') return false
  const negated = NEGATIONS.has(norm(state, m.start - 1)) || NEGATIONS.has(norm(state, m.start - 2))
  state.filters.push([{ column: column.name, op: 'eq', values: [!negated], phrase: m.phrase }])
  state.items.push(item(m.phrase, 'operator', column.name, String(!negated), '='))
  return true
}

const SIGNS: Readonly<Record<string, 'lt' | 'gt'>> = { negative: 'lt', positive: 'gt' }

/** "a negative goal difference": the sign of a numeric column. */
const signed: MentionRule = (state, m, column) => {
  const op = SIGNS[norm(state, m.start - 1)]
  if (!op || !column.numeric) return false
  const phrase = `${state.tokens[m.start - 1]!.raw} ${m.phrase}`
  state.used.add(m.start - 1)
  state.filters.push([{ column: column.name, op, values: [0], phrase }])
  state.items.push(item(phrase, 'operator', column.name, '0', op === 'lt' ? '<' : '>'))
  return true
}

/** "more than 220 grams", "over 8500 m": a unit after a compared number only repeats that filter's column. */
const unitOfNumber: MentionRule = (state, m, column) => {
  const before = state.tokens[m.start - 1]
  if (before?.kind !== 'number' || !state.used.has(before.index)) return false
  return state.filters.some((g) => g.some((f) => f.column === column.name && f.values.includes(before.number!)))
}

/** Tried in order; a mention no rule takes is a target (a column the question asks for). */
const RULES: readonly MentionRule[] = [rankedBy, firstOrLast, outOf, grouping, ordering, flag, namesValue, missing, signed,
  unitOfNumber, aggregated, ranked, bareNumber, compared, dated, countedColumn, countedValues]

/** A role word ("when", "who") defers to a header word naming a column of that role ("when ... bought"). */
const deferredRoleWord = (state: State, m: ColumnMention) => {
  if (m.score >= 0.7) return false
  // "20 million people": a role word right after a number is its unit, not a column asked for.
  const before = state.tokens[m.start - 1]
  if (before && (before.kind === 'number' || ['thousand', 'million', 'billion'].includes(before.norm))) return true
  const roles = new Set(m.columns.map((c) => state.byName.get(c)!.role))
  return state.mentions.some((o) => o !== m && o.score >= 0.7 && o.columns.some((c) => roles.has(state.byName.get(c)!.role)))
}

/** Decides what each column mention does: group, order, measure, rank, condition, missing value or target. */
export const placeMentions = (state: State) => {
  for (const m of state.mentions) {
    markUsed(state, m.start, m.end)
    if (deferredRoleWord(state, m)) continue
    const column = pickColumn(state, m)
    if (RULES.some((rule) => rule(state, m, column))) continue
    state.targets.push({ column: column.name, plural: m.plural, start: m.start })
    state.items.push(item(m.phrase, 'column', column.name))
  }
}
