import type { Filter, QueryPlan } from './chat-types.ts'
import type { ParsedQuestion } from './parse-question.ts'

export type FollowUpKind = 'new' | 'swap' | 'filter' | 'group' | 'order' | 'reference'

const OPENERS = [['how', 'about'], ['what', 'about'], ['and'], ['same', 'for'], ['now'], ['just'], ['only'], ['but'],
  ['split'], ['break'], ['sort'], ['order'], ['which', 'ones'], ['which', 'of'], ['those'], ['what', 'if'], ['also']]

const opensFollowUp = (parsed: ParsedQuestion) =>
  OPENERS.some((words) => words.every((w, i) => parsed.tokens[i]?.norm === w))

/** Is this message about the previous answer rather than a new question? */
export const isFollowUp = (parsed: ParsedQuestion): boolean =>
  opensFollowUp(parsed) || parsed.explicit.pronoun || parsed.explicit.orderOnly || (!parsed.explicit.intent && !parsed.explicit.targets)

const columnsOf = (group: readonly Filter[]) => new Set(group.map((f) => f.column))

/** New conditions replace earlier ones on the same column ("how about Acer?"); others are added. */
const combineFilters = (previous: readonly Filter[][], current: readonly Filter[][]) => {
  const replaced = new Set(current.filter((g) => !g.every((f) => f.op === 'not_null')).flatMap((g) => [...columnsOf(g)]))
  const kept = previous.filter((g) => ![...columnsOf(g)].some((c) => replaced.has(c)))
  return [...kept, ...current.filter((g) => !kept.some((k) => JSON.stringify(k) === JSON.stringify(g)))]
}

const asks = (parsed: ParsedQuestion, words: readonly string[]) => parsed.tokens.some((t) => words.includes(t.norm))

/**
 * Applies a follow-up to the previous plan: swap a value, add a filter, add a grouping, change the order,
 * narrow the last result, or ask about "it" (the last result's rows).
 */
export const mergeFollowUp = (previous: QueryPlan, parsed: ParsedQuestion): { plan: QueryPlan; kind: FollowUpKind } => {
  const current = parsed.plan
  const filters = combineFilters(previous.filters, current.filters)
  const swapsValue = current.filters.some((g) => previous.filters.some((p) => [...columnsOf(p)].some((c) => columnsOf(g).has(c))))
  if (current.groupBy.length > 0 && current.measure?.fn === 'count' && !parsed.tokens.some((t) => ['many', 'count', 'number'].includes(t.norm))) {
    const measure = previous.measure ?? { fn: 'count' as const, column: null }
    const groupBy = [...new Set([...previous.groupBy, ...current.groupBy])]
    return { kind: 'group', plan: { ...previous, intent: 'group', select: [], measure, groupBy, filters,
      orderBy: { by: groupBy[0]!, dir: 'asc' }, limit: null } }
  }
  if (current.intent === 'top' && current.limit === null && !parsed.explicit.targets) {
    const orderBy = previous.groupBy.length > 0 && previous.measure ? { by: 'measure', dir: current.orderBy!.dir } : current.orderBy
    const intent = previous.intent === 'count' || previous.intent === 'aggregate' ? 'list' : previous.intent
    return { kind: 'order', plan: { ...previous, intent, measure: intent === 'list' ? null : previous.measure, filters, orderBy } }
  }
  if (parsed.explicit.targets && parsed.explicit.pronoun) {
    // "who owns it?": same rows as before (filters, order and limit), new columns.
    const keepRanking = previous.limit !== null && previous.groupBy.length === 0
    return { kind: 'reference', plan: { ...current, intent: current.intent === 'distinct' && keepRanking ? 'lookup' : current.intent,
      filters, orderBy: keepRanking ? previous.orderBy : current.orderBy, limit: keepRanking ? previous.limit : current.limit } }
  }
  if (parsed.explicit.intent) return { kind: swapsValue ? 'swap' : 'filter', plan: { ...current, filters } }
  const listing = asks(parsed, ['which', 'list', 'show']) && (previous.intent === 'count' || previous.intent === 'aggregate')
  const plan: QueryPlan = listing ? { ...previous, intent: 'list', measure: null, select: [], filters }
    : { ...previous, filters, orderBy: current.orderBy ?? previous.orderBy }
  return { kind: swapsValue ? 'swap' : 'filter', plan }
}
