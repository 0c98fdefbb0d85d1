import { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect, sql } from 'kysely'
import { up as migrateChat } from '../../migrations/2026_11_27_010_chat.ts'
import type { Viewer } from '../../src/features/auth/viewer.ts'
import { toChatColumns } from '../../src/features/chat/chat-column.ts'
import { createChat } from '../../src/features/chat/create-chat.ts'
import { createValueIndex } from '../../src/features/chat/create-value-index.ts'
import { interpretQuestion } from '../../src/features/chat/interpret-question.ts'
import { loadCsvDataset } from '../../src/features/chat/testing/load-csv-dataset.ts'
import { createMemoryChatCatalog } from '../../src/features/chat/testing/memory-chat-catalog.ts'
import { createPgliteSqlRunner } from '../../src/features/chat/testing/pglite-sql-runner.ts'
import type { ChatBenchTarget } from './chat-bench-target.ts'

const VIEWER: Viewer = { id: 'bench', name: 'bench', role: 'ADMIN', anonymous: false }

/** In-process PHERS chat over PGlite, with CSVs loaded by the test loader (typed columns, roles detected). */
export const createPgliteBenchTarget = async (): Promise<ChatBenchTarget> => {
  const pglite = new PGlite()
  const db = new Kysely<any>({ dialect: new PGliteDialect({ pglite }) })
  await sql`CREATE SCHEMA IF NOT EXISTS phers`.execute(db)
  await migrateChat(db)
  const catalog = createMemoryChatCatalog()
  const runner = createPgliteSqlRunner(pglite)
  const valueIndex = createValueIndex({ db, schemaOf: async () => 'datasets' })
  const quiet = { info: () => {}, warn: () => {} }
  const chat = createChat({ db, catalog, runner, llm: null, logger: quiet, valueIndex })
  return {
    async loadDataset({ name, csv }) {
      const loaded = await loadCsvDataset({ pglite, csv, tableName: name })
      catalog.add(loaded)
      await chat.valueIndex.build(loaded.dataset, loaded.columns)
      return { datasetId: loaded.dataset.id, tableName: loaded.dataset.tableName, columnNames: loaded.columns.map((c) => c.name) }
    },
    ask: ({ datasetId, message, conversationId }) =>
      chat.ask({ message, datasetId, viewer: VIEWER, ...(conversationId ? { conversationId } : {}) }),
    async query(text) {
      const result = await runner.run({ sql: text, viewer: VIEWER, source: 'sql' })
      return { columns: result.columns.map((c) => c.name), rows: result.rows }
    },
    async interpretMs(datasetId, messages) {
      const dataset = (await catalog.getDataset(datasetId, VIEWER))!
      const times: number[] = []
      for (const message of messages) {
        const started = performance.now()
        const columns = await catalog.columns(datasetId)
        const chatColumns = toChatColumns(columns, dataset.rowCount)
        const index = await valueIndex.get(dataset, columns)
        interpretQuestion({ message, datasetName: dataset.name, columns: chatColumns, index, previous: null })
        times.push(performance.now() - started)
      }
      return times
    },
    async stop() {
      chat.stop()
      await db.destroy()
    },
  }
}
