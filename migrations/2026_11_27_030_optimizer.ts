import { sql, type Kysely } from 'kysely'

/** Index advisor state: recommendations with their measured outcome, and index-usage observations. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createSchema('phers').ifNotExists().execute()
  const phers = db.schema.withSchema('phers')

  await phers
    .createTable('index_recommendations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dataset_id', 'text', (c) => c.notNull())
    .addColumn('schema_name', 'text', (c) => c.notNull())
    .addColumn('table_name', 'text', (c) => c.notNull())
    .addColumn('index_name', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('keys', 'jsonb', (c) => c.notNull())
    .addColumn('statement', 'text', (c) => c.notNull())
    .addColumn('helped', 'jsonb', (c) => c.notNull())
    .addColumn('cost_before', 'double precision', (c) => c.notNull())
    .addColumn('cost_after', 'double precision', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('PENDING', 'APPLIED', 'DROP_RECOMMENDED', 'DROPPED')`))
    .addColumn('measured', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await phers.createIndex('index_recommendations_dataset_idx').on('index_recommendations').columns(['dataset_id', 'status']).execute()

  // pg_stat_user_indexes counts scans since the last stats reset; "unused for a period" needs to know when the
  // count last moved, which PostgreSQL before 16 does not record.
  await phers
    .createTable('index_usage')
    .addColumn('schema_name', 'text', (c) => c.notNull())
    .addColumn('index_name', 'text', (c) => c.notNull())
    .addColumn('scans', 'bigint', (c) => c.notNull())
    .addColumn('unchanged_since', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('index_usage_pk', ['schema_name', 'index_name'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('phers.index_usage').ifExists().execute()
  await db.schema.dropTable('phers.index_recommendations').ifExists().execute()
}
