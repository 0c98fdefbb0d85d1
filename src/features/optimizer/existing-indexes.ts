import { parseSync } from 'libpg-query'
import { sql, type Kysely } from 'kysely'
import { keyOf } from './index-key.ts'
import type { IndexKey } from './optimizer-types.ts'

/** An index on a dataset table, read from the catalog. */
export interface ExistingIndex {
  schema: string
  table: string
  name: string
  /** Creation order: of two duplicates the older one is kept. */
  oid: number
  method: string
  /** Key columns; null where a key is an expression the advisor does not model (it then covers nothing). */
  keys: (IndexKey | null)[]
  partial: boolean
  primary: boolean
  unique: boolean
  /** Backs a constraint (primary key, unique, exclusion): never dropped by the advisor. */
  constraint: boolean
  valid: boolean
  sizeBytes: number
  definition: string
}

interface Row {
  schema: string
  table: string
  name: string
  oid: number
  method: string
  key_texts: (string | null)[]
  opclasses: (string | null)[]
  partial: boolean
  primary: boolean
  unique: boolean
  constraint: boolean
  valid: boolean
  size_bytes: number | string
  definition: string
}

/**
 * Indexes of the dataset tables (`ds_*` schemas), optionally of one table. Key texts come from
 * `pg_get_indexdef(oid, n, true)` and are read back with the same parser that reads statements, so
 * `lower(name)` in the catalog and `lower("name")` in a query are the same key.
 */
export async function readExistingIndexes(db: Kysely<any>, table?: { schema: string; table: string }): Promise<ExistingIndex[]> {
  const filter = table ? sql`n.nspname = ${table.schema} AND t.relname = ${table.table}` : sql`n.nspname LIKE 'ds\\_%'`
  const result = await sql<Row>`
    SELECT n.nspname AS schema, t.relname AS table, c.relname AS name, c.oid::bigint::float8 AS oid, am.amname AS method,
      ARRAY(SELECT pg_get_indexdef(c.oid, k, true) FROM generate_series(1, i.indnkeyatts) k)::text[] AS key_texts,
      ARRAY(SELECT CASE WHEN oc.opcdefault THEN NULL ELSE oc.opcname::text END
        FROM unnest(i.indclass) WITH ORDINALITY u(opc, k) JOIN pg_opclass oc ON oc.oid = u.opc ORDER BY u.k)::text[] AS opclasses,
      i.indpred IS NOT NULL AS partial, i.indisprimary AS primary, i.indisunique AS unique,
      EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = c.oid) AS constraint,
      i.indisvalid AS valid, pg_relation_size(c.oid)::float8 AS size_bytes, pg_get_indexdef(c.oid) AS definition
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    JOIN pg_am am ON am.oid = c.relam
    WHERE ${filter}
    ORDER BY n.nspname, t.relname, c.relname`.execute(db)
  return result.rows.map(toIndex)
}

function toIndex(row: Row): ExistingIndex {
  const texts = row.key_texts
  const opclasses = row.opclasses
  return {
    schema: row.schema, table: row.table, name: row.name, oid: Number(row.oid), method: row.method,
    keys: texts.map((text, i) => (text === null ? null : parseKey(text, opclasses[i] ?? null))),
    partial: row.partial, primary: row.primary, unique: row.unique, constraint: row.constraint, valid: row.valid,
    sizeBytes: Number(row.size_bytes), definition: row.definition,
  }
}

function parseKey(text: string, opclass: string | null): IndexKey | null {
  try {
    const stmt = parseSync(`SELECT ${text}`).stmts?.[0]?.stmt as { SelectStmt?: { targetList?: { ResTarget: { val: unknown } }[] } }
    const found = keyOf(stmt.SelectStmt?.targetList?.[0]?.ResTarget.val)
    return found ? { ...found.key, opclass } : null
  } catch {
    return null
  }
}
