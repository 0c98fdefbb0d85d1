import { AppError } from '../../errors.ts'
import type { Filter, Measure, QueryPlan } from './chat-types.ts'
import { quoteIdent } from '../../infra/quote-ident.ts'

export interface BuiltSql {
  sql: string
  params: unknown[]
}

/** Output name of a measure, stable so answers and follow-ups can refer to it. */
export const measureAlias = (measure: Measure): string =>
  measure.fn === 'count' ? 'count'
    : measure.fn === 'count_distinct' ? `distinct_${measure.column}`
      : measure.fn === 'difference' ? `difference_${measure.column}`
      : `${{ sum: 'total', avg: 'average', min: 'min', max: 'max' }[measure.fn]}_${measure.column}`

const LIKE_SPECIALS = /[\\%_]/g

/**
 * SQL for a plan: identifiers come only from the catalog (checked here), every value is a `$n` parameter.
 * The statement then goes through the same guard and executor as user SQL.
 */
export const buildSql = (plan: QueryPlan, table: string, catalog: ReadonlySet<string>): BuiltSql => {
  const params: unknown[] = []
  const bind = (value: unknown) => {
    params.push(value)
    return `$${params.length}`
  }
  const ident = (name: string) => {
    if (!catalog.has(name)) throw new AppError('INTERNAL', `chat produced a column outside the catalog: ${name}`)
    return quoteIdent(name)
  }
  const difference = (m: Measure) => {
    const { column, values } = m.between!
    const total = (value: string) => `sum(CASE WHEN ${ident(column)} = ${bind(value)} THEN ${ident(m.column!)} END)`
    return `${total(values[0])} - ${total(values[1])}`
  }
  const measureSql = (m: Measure) =>
    m.fn === 'count' ? 'count(*)'
      : m.fn === 'difference' ? difference(m)
      : m.fn === 'count_distinct' ? `count(DISTINCT ${ident(m.column!)})`
        : `${m.fn}(${ident(m.column!)})`

  const condition = (f: Filter): string => {
    const column = ident(f.column)
    switch (f.op) {
      case 'eq': return `${column} = ${bind(f.values[0])}`
      case 'in': return `${column} IN (${f.values.map(bind).join(', ')})`
      // Rows with no value are "not X" too: "not active" includes devices with an empty status.
      case 'neq': return f.values.length === 1 ? `${column} IS DISTINCT FROM ${bind(f.values[0])}`
        : `(${column} IS NULL OR ${column} NOT IN (${f.values.map(bind).join(', ')}))`
      case 'gt': return `${column} > ${bind(f.values[0])}`
      case 'gte': return `${column} >= ${bind(f.values[0])}`
      case 'lt': return `${column} < ${bind(f.values[0])}`
      case 'lte': return `${column} <= ${bind(f.values[0])}`
      case 'is_null': return `${column} IS NULL`
      case 'not_null': return `${column} IS NOT NULL`
      case 'contains': return `${column} ILIKE ${bind(`%${String(f.values[0]).replace(LIKE_SPECIALS, '\\$&')}%`)}`
    }
  }

  const grouped = plan.groupBy.length > 0 && plan.measure !== null
  const select = grouped ? [...plan.groupBy.map(ident), `${measureSql(plan.measure!)} AS ${quoteIdent(measureAlias(plan.measure!))}`]
    : plan.measure ? [`${measureSql(plan.measure)} AS ${quoteIdent(measureAlias(plan.measure))}`]
      : plan.select.length > 0 ? plan.select.map(ident) : ['*']
  const parts = [`SELECT ${plan.intent === 'distinct' ? 'DISTINCT ' : ''}${select.join(', ')}`, `FROM ${quoteIdent(table)}`]
  const where = plan.filters.filter((g) => g.length > 0)
    .map((g) => (g.length === 1 ? condition(g[0]!) : `(${g.map(condition).join(' OR ')})`))
  if (where.length > 0) parts.push(`WHERE ${where.join(' AND ')}`)
  if (grouped) parts.push(`GROUP BY ${plan.groupBy.map(ident).join(', ')}`)
  if (grouped && plan.having) {
    const op = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '=' }[plan.having.op]
    parts.push(`HAVING ${measureSql(plan.measure!)} ${op} ${bind(plan.having.value)}`)
  }
  if (plan.orderBy) {
    const by = plan.orderBy.by === 'measure' && plan.measure ? quoteIdent(measureAlias(plan.measure)) : ident(plan.orderBy.by)
    parts.push(`ORDER BY ${by} ${plan.orderBy.dir.toUpperCase()} NULLS LAST`)
  }
  if (plan.limit !== null) parts.push(`LIMIT ${bind(plan.limit)}`)
  return { sql: parts.join(' '), params }
}
