import { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect, sql } from 'kysely'
import { generateAssets, type AssetConvention } from '../../../../scripts/generate-assets.ts'
import { up as migrateChat } from '../../../../migrations/2026_11_27_010_chat.ts'
import type { Viewer } from '../../auth/viewer.ts'
import { createChat, type ChatOptions } from '../create-chat.ts'
import { createValueIndex } from '../create-value-index.ts'
import { loadCsvDataset } from './load-csv-dataset.ts'
import { createMemoryChatCatalog } from './memory-chat-catalog.ts'
import { createPgliteSqlRunner } from './pglite-sql-runner.ts'

export const TEST_VIEWER: Viewer = { id: 'tester', name: 'tester', role: 'ANALYST', anonymous: false }

/** PGlite with the sample asset register loaded, the chat table migrated and a chat wired to it. */
export const createChatFixture = async (options: { rows?: number; convention?: AssetConvention; tableName?: string }
  & Partial<Pick<ChatOptions, 'llm' | 'clock' | 'conversationTtlMs'>> & { maxDistinct?: number } = {}) => {
  const pglite = new PGlite()
  const db = new Kysely<any>({ dialect: new PGliteDialect({ pglite }) })
  await sql`CREATE SCHEMA IF NOT EXISTS phers`.execute(db)
  await migrateChat(db)
  const csv = generateAssets({ rows: options.rows ?? 600, seed: 7, convention: options.convention ?? 'default' })
  const loaded = await loadCsvDataset({ pglite, csv, tableName: options.tableName ?? 'it_assets' })
  const catalog = createMemoryChatCatalog([loaded])
  const runner = createPgliteSqlRunner(pglite)
  const logs: { level: string; message: string; details: Record<string, unknown> }[] = []
  const logger = {
    info: (details: Record<string, unknown>, message: string) => void logs.push({ level: 'info', message, details }),
    warn: (details: Record<string, unknown>, message: string) => void logs.push({ level: 'warn', message, details }),
  }
  const valueIndex = createValueIndex({ db, schemaOf: async () => 'datasets', ...(options.maxDistinct ? { maxDistinct: options.maxDistinct } : {}) })
  const chat = createChat({ db, catalog, runner, llm: options.llm ?? null, logger, valueIndex,
    ...(options.clock ? { clock: options.clock } : {}), ...(options.conversationTtlMs ? { conversationTtlMs: options.conversationTtlMs } : {}) })
  /** Rows of a hand-written query, for comparing with what the chat ran. */
  const gold = async (query: string, params: unknown[] = []) => (await runner.run({ sql: query, params, viewer: TEST_VIEWER, source: 'sql' })).rows
  const ask = (message: string, conversationId?: string) =>
    chat.ask({ message, datasetId: loaded.dataset.id, viewer: TEST_VIEWER, ...(conversationId ? { conversationId } : {}) })
  return { pglite, db, catalog, runner, chat, logs, dataset: loaded.dataset, columns: loaded.columns, gold, ask,
    stop: async () => { chat.stop(); await db.destroy() } }
}

/** Rows as a sorted list of JSON strings: equal multisets compare equal regardless of order. */
export const asMultiset = (rows: readonly unknown[][]) =>
  rows.map((r) => JSON.stringify(r.map((v) => (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(Number(v).toFixed(6)) : v)))).sort()
