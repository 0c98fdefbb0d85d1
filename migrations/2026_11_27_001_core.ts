import { sql, type Kysely } from 'kysely'

/** Catalog of datasets and their columns, API keys, and the executed-statement workload. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE SCHEMA IF NOT EXISTS phers`.execute(db)
  await sql`REVOKE ALL ON SCHEMA phers FROM PUBLIC`.execute(db)

  await db.schema
    .createTable('phers.api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role IN ('VIEWER', 'ANALYST', 'ADMIN')`))
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('last_used_at', 'timestamptz')
    .execute()

  await db.schema
    .createTable('phers.datasets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('table_name', 'text', (c) => c.notNull())
    .addColumn('schema_name', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull().defaultTo('PRIVATE').check(sql`visibility IN ('PRIVATE', 'SHARED')`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('row_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('file_name', 'text')
    .addColumn('file_size', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('datasets_owner_name_key', ['owner_id', 'name'])
    .addUniqueConstraint('datasets_owner_table_key', ['owner_id', 'table_name'])
    .addUniqueConstraint('datasets_schema_table_key', ['schema_name', 'table_name'])
    .execute()

  await db.schema
    .createTable('phers.dataset_columns')
    .addColumn('dataset_id', 'text', (c) => c.notNull().references('phers.datasets.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('original_name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('null_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('distinct_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('min_value', 'text')
    .addColumn('max_value', 'text')
    .addColumn('top_values', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('inference', 'jsonb', (c) => c.notNull())
    .addColumn('role', 'text')
    .addColumn('role_confidence', 'real', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('dataset_columns_pkey', ['dataset_id', 'position'])
    .execute()
  await db.schema.createIndex('dataset_columns_name_idx').on('phers.dataset_columns').columns(['dataset_id', 'name']).unique().execute()

  await db.schema
    .createTable('phers.workload')
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('viewer_scope', 'text', (c) => c.notNull())
    .addColumn('sample_sql', 'text', (c) => c.notNull())
    .addColumn('sample_params', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('dataset_ids', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('calls', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('errors', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('total_ms', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('max_ms', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('rows', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('first_seen', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('workload_pkey', ['fingerprint', 'viewer_scope'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('phers.workload').ifExists().execute()
  await db.schema.dropTable('phers.dataset_columns').ifExists().execute()
  await db.schema.dropTable('phers.datasets').ifExists().execute()
  await db.schema.dropTable('phers.api_keys').ifExists().execute()
}
