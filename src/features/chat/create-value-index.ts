import { LRUCache } from 'lru-cache'
import { sql, type Kysely } from 'kysely'
import type { ColumnInfo, DatasetInfo } from '../datasets/dataset-types.ts'
import { buildDatasetValueIndex, type ColumnShapes, type ColumnValues, type DatasetValueIndex } from './dataset-value-index.ts'

export interface ValueIndexOptions {
  /** Reads dataset tables directly: the index is internal metadata, not a user query. */
  db: Kysely<any>
  /**
   * PostgreSQL schema holding a dataset's table. Datasets live in per-owner schemas, so by default it is read
   * from the catalog (`phers.datasets.schema_name`); tests with one schema pass a constant.
   */
  schemaOf?: (dataset: DatasetInfo) => Promise<string>
  /** Text columns with more distinct values than this are matched by shape instead; default 5000. */
  maxDistinct?: number
  /** Dataset versions kept in memory; default 50. */
  maxDatasets?: number
  /** Values sampled from a high-cardinality column to learn its shapes; default 200. */
  shapeSamples?: number
}

export interface ValueIndex {
  /** Builds (or rebuilds) the index of one dataset version; the integrator calls it after each upload. */
  build(dataset: DatasetInfo, columns: readonly ColumnInfo[]): Promise<DatasetValueIndex>
  /** The index of this dataset version, built on first use. */
  get(dataset: DatasetInfo, columns: readonly ColumnInfo[]): Promise<DatasetValueIndex>
  /**
   * Looks phrases up in the high-cardinality text columns the index leaves out (exact, prefix or word-prefix
   * match in SQL); null when nothing matched.
   */
  searchLarge(dataset: DatasetInfo, columns: readonly ColumnInfo[], phrases: readonly string[]): Promise<DatasetValueIndex | null>
  /** Forgets every version of a dataset (e.g. when it is dropped). */
  invalidate(datasetId: string): void
  stop(): void
}

const catalogSchema = (db: Kysely<any>) => async (dataset: DatasetInfo): Promise<string> => {
  const row = await db.selectFrom('phers.datasets').select('schema_name').where('id', '=', dataset.id).executeTakeFirst()
  if (!row) throw new Error(`dataset ${dataset.id} is not in the catalog`)
  return row.schema_name as string
}

export const createValueIndex = ({ db, schemaOf = catalogSchema(db), maxDistinct = 5000, maxDatasets = 50,
  shapeSamples = 200 }: ValueIndexOptions): ValueIndex => {
  // Promises are cached so concurrent first questions share one build.
  const cache = new LRUCache<string, Promise<DatasetValueIndex>>({ max: maxDatasets })
  const keyOf = (dataset: DatasetInfo) => `${dataset.id}@${dataset.version}`
  const table = async (dataset: DatasetInfo) => sql.table(`${await schemaOf(dataset)}.${dataset.tableName}`)

  const readValues = async (dataset: DatasetInfo, column: ColumnInfo): Promise<ColumnValues> => {
    const result = await sql<{ value: string; count: number }>`
      select ${sql.ref(column.name)}::text as value, count(*)::int as count from ${await table(dataset)}
      where ${sql.ref(column.name)} is not null group by 1`.execute(db)
    return { column: column.name, values: result.rows.map((r) => ({ value: r.value, count: Number(r.count) })) }
  }

  const readShapes = async (dataset: DatasetInfo, column: ColumnInfo): Promise<ColumnShapes> => {
    const result = await sql<{ value: string }>`
      select ${sql.ref(column.name)}::text as value from ${await table(dataset)}
      where ${sql.ref(column.name)} is not null limit ${shapeSamples}`.execute(db)
    return { column: column.name, samples: result.rows.map((r) => r.value) }
  }

  const load = async (dataset: DatasetInfo, columns: readonly ColumnInfo[]) => {
    const text = columns.filter((c) => c.type === 'text')
    const small = text.filter((c) => c.distinctCount <= maxDistinct)
    const large = text.filter((c) => c.distinctCount > maxDistinct)
    const values = await Promise.all(small.map((c) => readValues(dataset, c)))
    // Indexed columns get shapes too, so a code that is absent ("IT-9999") still finds its column.
    const shapes = [...await Promise.all(large.map((c) => readShapes(dataset, c))),
      ...values.map((v) => ({ column: v.column, samples: v.values.slice(0, shapeSamples).map((x) => x.value) }))]
    return buildDatasetValueIndex({ datasetId: dataset.id, version: dataset.version, columns: values, shapes })
  }

  const remember = (dataset: DatasetInfo, promise: Promise<DatasetValueIndex>) => {
    cache.set(keyOf(dataset), promise)
    promise.catch(() => cache.delete(keyOf(dataset)))
    return promise
  }

  const searchColumn = async (dataset: DatasetInfo, column: ColumnInfo, phrase: string) => {
    const text = phrase.toLowerCase().replace(/[\\%_]/g, '\\$&')
    const ref = sql.ref(column.name)
    const result = await sql<{ value: string; count: number }>`
      select ${ref}::text as value, count(*)::int as count from ${await table(dataset)}
      where lower(${ref}::text) = ${text} or lower(${ref}::text) like ${`${text}%`} or lower(${ref}::text) like ${`% ${text}%`}
      group by 1 order by 2 desc limit 5`.execute(db)
    return result.rows.map((r) => ({ value: r.value, count: Number(r.count) }))
  }

  const searchLarge = async (dataset: DatasetInfo, columns: readonly ColumnInfo[], phrases: readonly string[]) => {
    const large = columns.filter((c) => c.type === 'text' && c.distinctCount > maxDistinct)
    const wanted = phrases.filter((p) => p.trim().length >= 3)
    if (large.length === 0 || wanted.length === 0) return null
    const found = await Promise.all(large.map(async (c) => ({ column: c.name,
      values: (await Promise.all(wanted.map((p) => searchColumn(dataset, c, p)))).flat() })))
    const hits = found.filter((f) => f.values.length > 0)
    return hits.length === 0 ? null : buildDatasetValueIndex({ datasetId: dataset.id, version: dataset.version, columns: hits, shapes: [] })
  }

  return {
    searchLarge,
    build: (dataset, columns) => remember(dataset, load(dataset, columns)),
    get: (dataset, columns) => cache.get(keyOf(dataset)) ?? remember(dataset, load(dataset, columns)),
    invalidate: (datasetId) => {
      for (const key of cache.keys()) if (key.startsWith(`${datasetId}@`)) cache.delete(key)
    },
    stop: () => cache.clear(),
  }
}
