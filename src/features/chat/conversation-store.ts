import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { QueryPlan } from './chat-types.ts'

/** What a conversation remembers between turns. */
export interface ConversationState {
  datasetId: string
  plan: QueryPlan
  question: string
}

export interface ConversationStore {
  /** The state of a live conversation of this viewer; null when unknown, expired or someone else's. */
  load(id: string, viewerId: string): Promise<ConversationState | null>
  /** Saves the latest turn; creates the conversation when `id` is null. Returns the id. */
  save(id: string | null, viewerId: string, state: ConversationState): Promise<string>
  /** Deletes expired conversations; returns how many. */
  purgeExpired(): Promise<number>
}

export interface ConversationStoreOptions {
  db: Kysely<any>
  /** Default 24 h. */
  ttlMs?: number
  clock?: () => Date
}

const TABLE = 'phers.chat_conversations'

export const createConversationStore = ({ db, ttlMs = 24 * 3_600_000, clock = () => new Date() }: ConversationStoreOptions): ConversationStore => ({
  async load(id, viewerId) {
    const row = await db.selectFrom(TABLE).select(['state', 'viewer_id']).where('id', '=', id)
      .where('expires_at', '>', clock()).executeTakeFirst()
    if (!row || row.viewer_id !== viewerId) return null
    return JSON.parse(row.state as string) as ConversationState
  },
  async save(id, viewerId, state) {
    const now = clock()
    const expires = new Date(now.getTime() + ttlMs)
    const json = JSON.stringify(state)
    if (id) {
      const updated = await db.updateTable(TABLE)
        .set((eb) => ({ state: json, dataset_id: state.datasetId, updated_at: now, expires_at: expires, turns: eb('turns', '+', 1) }))
        .where('id', '=', id).where('viewer_id', '=', viewerId).where('expires_at', '>', now).executeTakeFirst()
      if (Number(updated.numUpdatedRows) > 0) return id
    }
    const newId = id && /^[\w-]{8,64}$/.test(id) && !(await db.selectFrom(TABLE).select('id').where('id', '=', id).executeTakeFirst())
      ? id : randomUUID()
    await db.insertInto(TABLE).values({ id: newId, viewer_id: viewerId, dataset_id: state.datasetId, state: json, turns: 1,
      created_at: now, updated_at: now, expires_at: expires }).execute()
    return newId
  },
  async purgeExpired() {
    const result = await db.deleteFrom(TABLE).where('expires_at', '<=', clock()).executeTakeFirst()
    return Number(result.numDeletedRows)
  },
})
