import { sql, type Kysely } from 'kysely'

/** Telemetry state that must survive a restart: learned baselines, alert history, the activity log. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createSchema('phers').ifNotExists().execute()
  const phers = db.schema.withSchema('phers')

  await phers
    .createTable('telemetry_baselines')
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('p95_ms', 'double precision', (c) => c.notNull())
    .addColumn('rate_per_sec', 'double precision', (c) => c.notNull())
    .addColumn('samples', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('telemetry_baselines_pk', ['subject_kind', 'subject'])
    .execute()

  await phers
    .createTable('telemetry_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('threshold', 'double precision', (c) => c.notNull())
    .addColumn('fired_at', 'timestamptz', (c) => c.notNull())
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .execute()
  await phers.createIndex('telemetry_alerts_fired_idx').on('telemetry_alerts').columns(['fired_at desc', 'id desc']).execute()
  await phers
    .createIndex('telemetry_alerts_active_idx')
    .on('telemetry_alerts')
    .columns(['fired_at desc', 'id desc'])
    .where(sql.ref('resolved_at'), 'is', null)
    .execute()

  await phers
    .createTable('activity_log')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .execute()
  await phers.createIndex('activity_log_action_idx').on('activity_log').columns(['action', 'id desc']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  const phers = db.schema.withSchema('phers')
  await phers.dropTable('activity_log').ifExists().execute()
  await phers.dropTable('telemetry_alerts').ifExists().execute()
  await phers.dropTable('telemetry_baselines').ifExists().execute()
}
