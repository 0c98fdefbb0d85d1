import type { ChatColumn } from './chat-column.ts'
import type { Filter, QueryPlan } from './chat-types.ts'

export interface AnswerInput {
  plan: QueryPlan
  columns: ReadonlyMap<string, ChatColumn>
  result: { columns: { name: string }[]; rows: unknown[][] }
  notes: readonly string[]
  /** What the question called rows ("device"); default "row". */
  rowNoun?: string | null
}

const show = (value: unknown): string => {
  if (value === null || value === undefined) return '(none)'
  if (typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toLocaleString('en-US', { maximumFractionDigits: 2 })
  if (typeof value === 'string' && /^-?\d+\.\d{3,}$/.test(value)) return Number(value).toLocaleString('en-US', { maximumFractionDigits: 2 })
  return String(value)
}

const money = (value: unknown) => (value === null ? '(none)' : `$${Number(value).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`)

const formatFor = (column: ChatColumn | undefined) => (column?.role === 'money' ? money : show)

const plural = (word: string, n: number) => (n === 1 ? word : /(s|x|ch|sh)$/.test(word) ? `${word}es` : /[^aeiou]y$/.test(word) ? `${word.slice(0, -1)}ies` : `${word}s`)

const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a')

const joinList = (items: readonly string[], limit = 8) => {
  const shown = items.slice(0, limit)
  const rest = items.length - shown.length
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}` : shown[0] ?? ''
}

/** "Acer monitors in Lisbon": category as the noun, brand/product/status before it, the rest after. */
export const describeRows = (filters: readonly Filter[][], columns: ReadonlyMap<string, ChatColumn>, count: number, rowNoun = 'row') => {
  const simple = filters.filter((g) => g.length === 1).map((g) => g[0]!)
  const label = (f: Filter) => columns.get(f.column)
  const eqValues = (f: Filter) => (f.op === 'eq' || f.op === 'in' ? f.values.map(String) : null)
  const noun = simple.find((f) => label(f)?.role === 'category' && eqValues(f)?.length === 1)
  const before = simple.filter((f) => f !== noun && ['organization', 'product', 'status'].includes(label(f)?.role ?? '') && eqValues(f))
  const after = simple.filter((f) => f !== noun && !before.includes(f))
  const head = noun ? plural(String(noun.values[0]), count) : plural(rowNoun, count)
  const adjectives = before.map((f) => eqValues(f)!.join(' or '))
  const tail = after.map((f) => {
    const column = label(f)
    const values = f.values.map((v) => (column?.role === 'money' ? money(v) : String(v)))
    const name = column?.label ?? f.column
    switch (f.op) {
      case 'eq': case 'in':
        return column?.role === 'location' ? `in ${values.join(' or ')}`
          : column?.role === 'person_name' || column?.role === 'username' ? `held by ${values.join(' or ')}`
            : `with ${name} ${values.join(' or ')}`
      case 'neq': return `with ${name} not ${values.join(' or ')}`
      case 'is_null': return `with no ${name}`
      case 'not_null': return ''
      case 'gt': return `with ${name} over ${values[0]}`
      case 'gte': return `with ${name} from ${values[0]}`
      case 'lt': return `with ${name} before/under ${values[0]}`
      case 'lte': return `with ${name} up to ${values[0]}`
      case 'contains': return `with ${name} containing ${values[0]}`
    }
  }).filter(Boolean)
  return [...adjectives, head, ...tail].join(' ')
}

const measureLabel = (plan: QueryPlan, columns: ReadonlyMap<string, ChatColumn>, rowNoun = 'row') => {
  const m = plan.measure!
  const name = m.column ? columns.get(m.column)?.label ?? m.column : plural(rowNoun, 2)
  return { count: `number of ${plural(rowNoun, 2)}`, count_distinct: `number of distinct ${plural(name, 2)}`, sum: `total ${name}`,
    avg: `average ${name}`, min: `lowest ${name}`, max: `highest ${name}`,
    difference: `difference in ${name} between ${m.between?.values.join(' and ') ?? ''}` }[m.fn]
}

const groupSentence = ({ plan, columns, result, rowNoun }: AnswerInput) => {
  const noun = rowNoun ?? 'row'
  const groupColumns = plan.groupBy.map((g) => columns.get(g))
  const measureColumn = plan.measure?.column ? columns.get(plan.measure.column) : undefined
  const format = plan.measure?.fn === 'count' || plan.measure?.fn === 'count_distinct' ? show : formatFor(measureColumn)
  const parts = result.rows.map((row) => `${row.slice(0, plan.groupBy.length).map(show).join(' / ')}: ${format(row[plan.groupBy.length])}`)
  const by = groupColumns.map((c, i) => c?.label ?? plan.groupBy[i]).join(' and ')
  if (plan.limit === 1 && result.rows.length === 1) {
    const value = format(result.rows[0]![plan.groupBy.length])
    if (plan.measure?.fn === 'count') return `${show(result.rows[0]![0])} has the ${plan.orderBy?.dir === 'asc' ? 'fewest' : 'most'} ${plural(noun, 2)} (${value}).`
    return `${show(result.rows[0]![0])} has the ${plan.orderBy?.dir === 'asc' ? 'lowest' : 'highest'} ${measureLabel(plan, columns, noun)} (${value}).`
  }
  const label = measureLabel(plan, columns, noun)
  return result.rows.length === 0 ? `No ${by} matches.` : `${label[0]!.toUpperCase()}${label.slice(1)} by ${by}: ${joinList(parts, 12)}.`
}

const rowSentence = ({ plan, columns, result }: AnswerInput) => {
  const row = result.rows[0]!
  const names = result.columns.map((c) => c.name)
  const cell = (name: string) => row[names.indexOf(name)]
  if (plan.select.length === 0) {
    const id = [...columns.values()].find((c) => c.role === 'identifier')
    const org = [...columns.values()].find((c) => c.role === 'organization')
    const product = [...columns.values()].find((c) => c.role === 'product')
    const person = [...columns.values()].find((c) => c.role === 'person_name')
    if (id && (org || product)) {
      const what = [org && cell(org.name), product && cell(product.name)].filter(Boolean).join(' ')
      const holder = person && cell(person.name) ? ` held by ${cell(person.name)}` : person ? ' with no holder' : ''
      return `${cell(id.name)} is ${article(what)} ${what}${holder}.`
    }
    return names.slice(0, 6).map((n) => `${columns.get(n)?.label ?? n}: ${formatFor(columns.get(n))(cell(n))}`).join('; ')
  }
  const entity = plan.filters.flat().find((f) => f.op === 'eq' && columns.get(f.column)?.role === 'identifier')
  const of = entity ? ` of ${entity.values[0]}` : ''
  return plan.select.map((n) => `The ${columns.get(n)?.label ?? n}${of} is ${formatFor(columns.get(n))(cell(n))}`).join('; ') + '.'
}

/** A short sentence from the result, built only from what the query returned. */
export const wordAnswer = (input: AnswerInput): string => {
  const { plan, columns, result, notes } = input
  const noun = input.rowNoun ?? 'row'
  const note = notes.length > 0 ? ` ${notes.join(' ')}` : ''
  const rows = result.rows
  const subject = () => describeRows(plan.filters, columns, 2, noun)
  switch (plan.intent) {
    case 'count': {
      const n = Number(rows[0]?.[0] ?? 0)
      if (plan.measure?.fn === 'count_distinct') {
        return `There ${n === 1 ? 'is' : 'are'} ${show(n)} distinct ${plural(columns.get(plan.measure.column!)?.label ?? 'value', n)}.${note}`
      }
      return `There ${n === 1 ? 'is' : 'are'} ${show(n)} ${describeRows(plan.filters, columns, n, noun)}.${note}`
    }
    case 'aggregate': {
      if (plan.measure?.fn === 'difference') {
        return `The ${measureLabel(plan, columns, noun)} is ${show(rows[0]?.[0] ?? null)}.${note}`
      }
      const column = plan.measure?.column ? columns.get(plan.measure.column) : undefined
      return `The ${measureLabel(plan, columns, noun)} of ${subject()} is ${formatFor(column)(rows[0]?.[0] ?? null)}.${note}`
    }
    case 'group': case 'compare':
      return `${groupSentence(input)}${note}`
    case 'distinct': {
      const label = columns.get(plan.select[0] ?? '')?.label ?? 'value'
      const values = rows.map((r) => show(r[0]))
      return values.length === 0 ? `No ${plural(label, 2)} match.${note}`
        : `${values.length} ${plural(label, values.length)}: ${joinList(values, 12)}.${note}`
    }
    case 'lookup': case 'top': case 'list': {
      if (rows.length === 0) return `There are no ${subject()}.${note}`
      if (rows.length === 1) return `${rowSentence(input)}${note}`
      if (plan.select.length === 1) return `${rows.length} results: ${joinList(rows.map((r) => show(r[0])), 10)}.${note}`
      return `Found ${rows.length}${rows.length >= 200 ? '+' : ''} ${subject()}.${note}`
    }
    case 'unanswerable':
      return notes.join(' ')
  }
}
