import { sql } from 'kysely'
import type { DbSession } from '../../infra/database.ts'
import type { ColumnType, TopValue } from './dataset-types.ts'

export interface ColumnStats {
  nullCount: number
  distinctCount: number
  min: string | null
  max: string | null
  topValues: TopValue[]
}

/** Up to this many rows, distinct counts and top values are exact; above, they come from ANALYZE's sample. */
export const EXACT_STATS_ROWS = 100_000
const TOP_VALUES = 10
/** Long text is cut in min/max so a catalog row stays small. */
const MAX_SHOWN_CHARS = 200

const minMax = (column: string, type: ColumnType) => {
  const c = sql.id(column)
  if (type === 'boolean') return sql`bool_and(${c})::text, bool_or(${c})::text`
  if (type === 'text') return sql`left(min(${c}), ${sql.lit(MAX_SHOWN_CHARS)}), left(max(${c}), ${sql.lit(MAX_SHOWN_CHARS)})`
  return sql`min(${c})::text, max(${c})::text`
}

/**
 * Null count, distinct count, min/max and most common values of every column, after ANALYZE. One table scan for
 * the aggregates; exact distinct counts and top values only while the table is small enough to afford them.
 */
export async function columnStats(
  session: DbSession,
  schema: string,
  table: string,
  columns: readonly { name: string; type: ColumnType }[],
  rowCount: number,
): Promise<ColumnStats[]> {
  if (columns.length === 0) return []
  const exact = rowCount <= EXACT_STATS_ROWS
  const parts = columns.map((c) =>
    sql`count(*) - count(${sql.id(c.name)}), ${minMax(c.name, c.type)}${exact ? sql`, count(DISTINCT ${sql.id(c.name)})` : sql``}`,
  )
  const compiled = sql`SELECT ${sql.join(parts)} FROM ${sql.table(`${schema}.${table}`)}`.compile(session.db)
  const [row] = (await session.query<unknown[]>(compiled.sql, compiled.parameters, { rowMode: 'array', raw: true })).rows
  const width = exact ? 4 : 3
  const sampled = exact ? null : await sampledStats(session, schema, table, rowCount)
  const stats: ColumnStats[] = []
  for (const [i, column] of columns.entries()) {
    const at = (k: number) => row![i * width + k] as string | null
    const fromSample = sampled?.get(column.name)
    stats.push({
      nullCount: Number(at(0)),
      min: at(1),
      max: at(2),
      distinctCount: exact ? Number(at(3)) : (fromSample?.distinct ?? 0),
      topValues: exact ? await exactTopValues(session, schema, table, column.name) : (fromSample?.top ?? []),
    })
  }
  return stats
}

async function exactTopValues(session: DbSession, schema: string, table: string, column: string): Promise<TopValue[]> {
  const c = sql.id(column)
  const compiled = sql`SELECT left(${c}::text, ${sql.lit(MAX_SHOWN_CHARS)}) AS value, count(*) AS count FROM ${sql.table(`${schema}.${table}`)}
    WHERE ${c} IS NOT NULL GROUP BY 1 HAVING count(*) > 1 ORDER BY 2 DESC, 1 LIMIT ${sql.lit(TOP_VALUES)}`.compile(session.db)
  const result = await session.query<{ value: string; count: string }>(compiled.sql, compiled.parameters, { raw: true })
  return result.rows.map((r) => ({ value: r.value, count: Number(r.count) }))
}

/** n_distinct (negative means a fraction of the rows) and most common values from pg_stats. */
async function sampledStats(session: DbSession, schema: string, table: string, rowCount: number) {
  const result = await session.query<{ attname: string; n_distinct: string; vals: string[] | null; freqs: string[] | null }>(
    `SELECT attname, n_distinct::text, most_common_vals::text::text[] AS vals, most_common_freqs::text[] AS freqs
       FROM pg_stats WHERE schemaname = $1 AND tablename = $2`,
    [schema, table],
  )
  const byName = new Map<string, { distinct: number; top: TopValue[] }>()
  for (const r of result.rows) {
    const n = Number(r.n_distinct)
    const vals = parseArray(r.vals)
    const freqs = parseArray(r.freqs)
    const top = vals.slice(0, TOP_VALUES).map((value, i) => ({ value: value.slice(0, MAX_SHOWN_CHARS), count: Math.round(Number(freqs[i]) * rowCount) }))
    byName.set(r.attname, { distinct: Math.round(n < 0 ? -n * rowCount : n), top: top.filter((t) => t.count > 1) })
  }
  return byName
}

/** Raw mode returns arrays as PostgreSQL text (`{a,"b c"}`); parsed here rather than trusting driver settings. */
function parseArray(value: string[] | string | null): string[] {
  if (value === null) return []
  if (Array.isArray(value)) return value
  const out: string[] = []
  const re = /(?:^\{|,)(?:"((?:[^"\\]|\\.)*)"|([^,{}]*))/g
  if (value === '{}') return out
  for (let m = re.exec(value); m; m = re.exec(value)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!)
  return out
}
