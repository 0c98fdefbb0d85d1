import type { Kysely } from 'kysely'

/** Chat conversations: the last interpretation per conversation, so follow-ups can edit it; they expire. */
export async function up(db: Kysely<any>): Promise<void> {
  const phers = db.schema.withSchema('phers')
  await phers
    .createTable('chat_conversations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('viewer_id', 'text', (c) => c.notNull())
    .addColumn('dataset_id', 'text')
    // JSON text of the last turn (plan, question); read and written only by the chat feature.
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('turns', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await phers.createIndex('chat_conversations_expires_idx').on('chat_conversations').column('expires_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.withSchema('phers').dropTable('chat_conversations').ifExists().execute()
}
