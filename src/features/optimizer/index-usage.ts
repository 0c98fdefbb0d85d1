import { sql, type Kysely } from 'kysely'
import type { ExistingIndex } from './existing-indexes.ts'

/** When each index's scan count last moved, as far as PHERS has watched it. */
export interface UsageObservation {
  scans: number
  unchangedSince: Date
}

const keyOf = (schema: string, name: string) => `${schema}.${name}`

/**
 * Records the current `pg_stat_user_indexes.idx_scan` of each index and returns since when each count has not
 * changed. PostgreSQL before 16 keeps no "last scan" time, so the period starts when PHERS first sees the index
 * or sees its count move. PGlite runs single-user and keeps no index statistics: counts stay 0 there and only
 * the observation time is meaningful (the caller adds the workload's plans as the usage signal).
 */
export async function observeIndexUsage(db: Kysely<any>, indexes: readonly ExistingIndex[]): Promise<Map<string, UsageObservation>> {
  const observed = new Map<string, UsageObservation>()
  if (indexes.length === 0) return observed
  const stats = await sql<{ schema: string; name: string; scans: number }>`SELECT schemaname AS schema, indexrelname AS name, idx_scan::float8 AS scans
    FROM pg_stat_user_indexes WHERE schemaname LIKE 'ds\\_%'`.execute(db)
  const scans = new Map(stats.rows.map((r) => [keyOf(r.schema, r.name), Number(r.scans)]))
  for (const index of indexes) {
    const count = scans.get(keyOf(index.schema, index.name)) ?? 0
    const result = await sql<{ scans: number; unchanged_since: string | Date }>`
      INSERT INTO phers.index_usage AS u (schema_name, index_name, scans, unchanged_since) VALUES (${index.schema}, ${index.name}, ${count}, now())
      ON CONFLICT (schema_name, index_name) DO UPDATE SET scans = excluded.scans,
        unchanged_since = CASE WHEN u.scans = excluded.scans THEN u.unchanged_since ELSE now() END
      RETURNING scans::float8 AS scans, unchanged_since`.execute(db)
    const row = result.rows[0]!
    observed.set(keyOf(index.schema, index.name), { scans: Number(row.scans), unchangedSince: new Date(row.unchanged_since) })
  }
  return observed
}

export async function forgetIndexUsage(db: Kysely<any>, schema: string, name: string): Promise<void> {
  await db.deleteFrom('phers.index_usage').where('schema_name', '=', schema).where('index_name', '=', name).execute()
}

export const usageKey = keyOf
