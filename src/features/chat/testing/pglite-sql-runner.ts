import type { PGlite } from '@electric-sql/pglite'
import type { SqlRequest, SqlResult, SqlRunner } from '../../sql/sql-types.ts'

const TYPE_NAMES: Record<number, string> = { 16: 'bool', 20: 'int8', 21: 'int2', 23: 'int4', 25: 'text', 700: 'float4',
  701: 'float8', 1043: 'varchar', 1082: 'date', 1114: 'timestamp', 1184: 'timestamptz', 1700: 'numeric' }

/** Keeps bigint/numeric as strings and dates as ISO text, like the real executor's result contract. */
const toCell = (value: unknown) =>
  value instanceof Date ? value.toISOString().slice(0, 10) : typeof value === 'bigint' ? value.toString() : value

/**
 * A test stand-in for the executor: runs the statement as-is on PGlite with dataset tables on the search
 * path. It does no guarding; tests use it to check what the chat generates, not what the guard allows.
 */
export const createPgliteSqlRunner = (pglite: PGlite, schema = 'datasets'): SqlRunner & { calls: SqlRequest[] } => {
  const calls: SqlRequest[] = []
  return {
    calls,
    async run(request): Promise<SqlResult> {
      calls.push(request)
      const started = performance.now()
      await pglite.exec(`SET search_path TO ${schema}, public`)
      const result = await pglite.query<unknown[]>(request.sql, [...(request.params ?? [])], { rowMode: 'array' })
      const rows = result.rows.map((row) => row.map(toCell))
      return {
        columns: result.fields.map((f) => ({ name: f.name, type: TYPE_NAMES[f.dataTypeID] ?? String(f.dataTypeID) })),
        rows, rowCount: rows.length, durationMs: performance.now() - started,
        pageInfo: { hasNextPage: false, endCursor: null }, fingerprint: '', datasets: [], cached: false, cacheLevel: null,
      }
    },
  }
}
