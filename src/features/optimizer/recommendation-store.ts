import { sql, type Kysely } from 'kysely'
import type { IndexRecommendation, MeasuredGain, RecommendationStatus } from './optimizer-types.ts'

export interface RecommendationStore {
  /** Replaces the dataset's pending recommendations with `fresh` (applied ones stay as history). */
  replacePending(datasetId: string, fresh: readonly IndexRecommendation[]): Promise<void>
  get(id: string): Promise<IndexRecommendation | null>
  list(datasetId: string): Promise<IndexRecommendation[]>
  setOutcome(id: string, status: RecommendationStatus, measured: MeasuredGain | null): Promise<void>
  /** Marks every recommendation that created this index as dropped. */
  markDropped(schema: string, indexName: string): Promise<void>
}

const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`
const parse = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value)

/** Recommendations survive restarts so `applyIndexRecommendation(id)` works on an id shown earlier. */
export function createRecommendationStore(db: Kysely<any>): RecommendationStore {
  const table = 'phers.index_recommendations'

  async function insert(r: IndexRecommendation): Promise<void> {
    await sql`INSERT INTO phers.index_recommendations (id, dataset_id, schema_name, table_name, index_name, method, keys, statement,
        helped, cost_before, cost_after, size_bytes, reason, status, measured, created_at, updated_at)
      VALUES (${r.id}, ${r.datasetId}, ${r.schema}, ${r.table}, ${r.indexName}, ${r.method}, ${json(r.keys)}, ${r.statement},
        ${json(r.helped)}, ${r.costBefore}, ${r.costAfter}, ${Math.round(r.sizeBytes)}, ${r.reason}, ${r.status}, ${json(r.measured)},
        ${r.createdAt.toISOString()}::timestamptz, ${r.updatedAt.toISOString()}::timestamptz)
      ON CONFLICT (id) DO UPDATE SET helped = excluded.helped, cost_before = excluded.cost_before, cost_after = excluded.cost_after,
        size_bytes = excluded.size_bytes, reason = excluded.reason, statement = excluded.statement, updated_at = excluded.updated_at,
        status = CASE WHEN phers.index_recommendations.status = 'DROPPED' THEN 'PENDING' ELSE phers.index_recommendations.status END`.execute(db)
  }

  return {
    async replacePending(datasetId, fresh) {
      const keep = fresh.map((r) => r.id)
      await db.deleteFrom(table).where('dataset_id', '=', datasetId).where('status', '=', 'PENDING')
        .$if(keep.length > 0, (q) => q.where('id', 'not in', keep)).execute()
      for (const r of fresh) await insert(r)
    },
    async get(id) {
      const row = await db.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst()
      return row ? toRecommendation(row) : null
    },
    async list(datasetId) {
      const rows = await db.selectFrom(table).selectAll().where('dataset_id', '=', datasetId).orderBy('cost_before', 'desc').execute()
      return rows.map(toRecommendation)
    },
    async setOutcome(id, status, measured) {
      await db.updateTable(table).set({ status, measured: json(measured), updated_at: sql`now()` }).where('id', '=', id).execute()
    },
    async markDropped(schema, indexName) {
      await db.updateTable(table).set({ status: 'DROPPED', updated_at: sql`now()` })
        .where('schema_name', '=', schema).where('index_name', '=', indexName).where('status', '!=', 'PENDING').execute()
    },
  }
}

function toRecommendation(row: Record<string, unknown>): IndexRecommendation {
  return {
    id: String(row.id), datasetId: String(row.dataset_id), schema: String(row.schema_name), table: String(row.table_name),
    indexName: String(row.index_name), method: row.method as IndexRecommendation['method'], keys: parse(row.keys),
    statement: String(row.statement), helped: parse(row.helped), costBefore: Number(row.cost_before), costAfter: Number(row.cost_after),
    sizeBytes: Number(row.size_bytes), reason: String(row.reason), status: row.status as RecommendationStatus,
    measured: parse(row.measured) ?? null, createdAt: new Date(row.created_at as string), updatedAt: new Date(row.updated_at as string),
  }
}
