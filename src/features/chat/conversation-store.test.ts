import { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { down, up } from '../../../migrations/2026_11_27_010_chat.ts'
import type { QueryPlan } from './chat-types.ts'
import { createConversationStore } from './conversation-store.ts'

let db: Kysely<any>
let now = new Date('2026-01-01T00:00:00Z')
const clock = () => now

const plan: QueryPlan = { intent: 'count', select: [], filters: [[{ column: 'category', op: 'eq', values: ['laptop'], phrase: 'laptops' }]],
  groupBy: [], measure: { fn: 'count', column: null }, having: null, orderBy: null, limit: null }

beforeAll(async () => {
  db = new Kysely<any>({ dialect: new PGliteDialect({ pglite: new PGlite() }) })
  await sql`CREATE SCHEMA phers`.execute(db)
  await up(db)
})
afterAll(async () => db.destroy())

describe('conversation store', () => {
  it('keeps the last turn per conversation for its viewer only', async () => {
    const store = createConversationStore({ db, clock })
    const id = await store.save(null, 'alice', { datasetId: 'd1', plan, question: 'how many laptops' })
    expect(await store.load(id, 'alice')).toEqual({ datasetId: 'd1', plan, question: 'how many laptops' })
    expect(await store.load(id, 'bob')).toBeNull()
    const again = await store.save(id, 'alice', { datasetId: 'd1', plan: { ...plan, limit: 5 }, question: 'top 5' })
    expect(again).toBe(id)
    expect((await store.load(id, 'alice'))?.plan.limit).toBe(5)
    const turns = await db.selectFrom('phers.chat_conversations').select('turns').where('id', '=', id).executeTakeFirstOrThrow()
    expect(turns.turns).toBe(2)
  })

  it('expires conversations after the TTL and purges them', async () => {
    const store = createConversationStore({ db, clock, ttlMs: 60_000 })
    const id = await store.save(null, 'alice', { datasetId: 'd1', plan, question: 'q' })
    now = new Date(now.getTime() + 61_000)
    expect(await store.load(id, 'alice')).toBeNull()
    expect(await store.save(id, 'alice', { datasetId: 'd1', plan, question: 'q2' })).not.toBe(id)
    expect(await store.purgeExpired()).toBeGreaterThan(0)
  })

  it('migrates down cleanly', async () => {
    await down(db)
    await expect(db.selectFrom('phers.chat_conversations').selectAll().execute()).rejects.toThrow()
    await up(db)
  })
})
