import { Readable } from 'node:stream'
import pino from 'pino'
import { createApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { LOCAL_ADMIN } from '../../src/features/auth/resolve-viewer.ts'
import { toChatColumns } from '../../src/features/chat/chat-column.ts'
import { interpretQuestion } from '../../src/features/chat/interpret-question.ts'
import type { ChatBenchTarget } from './chat-bench-target.ts'

/**
 * The real PHERS, in process: CSVs go through the real ingest (header naming, type inference such as `$1,234.50`
 * and US dates, role detection), questions through the chat service, gold SQL through the guarded executor.
 */
export const createAppBenchTarget = async (): Promise<ChatBenchTarget> => {
  const config = { ...loadConfig({ PORT: '0', LOG_LEVEL: 'warn' }), database: { kind: 'pglite', dataDir: null } as const }
  const app = await createApp(config, { logger: pino({ level: 'warn' }) })
  const { datasets, chat, sql } = app.services
  if (!chat) throw new Error('the app was built without chat')
  return {
    async loadDataset({ name, csv }) {
      const dataset = await datasets.ingest({ source: Readable.from([Buffer.from(csv)]), fileName: `${name}.csv`, name, owner: LOCAL_ADMIN })
      const [columns = []] = await datasets.columns([dataset.id])
      await chat.valueIndex.build(dataset, columns)
      return { datasetId: dataset.id, tableName: dataset.tableName, columnNames: columns.map((c) => c.name) }
    },
    ask: ({ datasetId, message, conversationId }) =>
      chat.ask({ message, datasetId, viewer: LOCAL_ADMIN, ...(conversationId ? { conversationId } : {}) }),
    async query(text) {
      const result = await sql.run({ sql: text, viewer: LOCAL_ADMIN, source: 'sql', first: config.sql.maxPageRows })
      return { columns: result.columns.map((c) => c.name), rows: result.rows }
    },
    async interpretMs(datasetId, messages) {
      const dataset = (await datasets.get(datasetId, LOCAL_ADMIN))!
      const times: number[] = []
      for (const message of messages) {
        const started = performance.now()
        const [columns = []] = await datasets.columns([datasetId])
        const chatColumns = toChatColumns(columns, dataset.rowCount)
        const index = await chat.valueIndex.get(dataset, columns)
        interpretQuestion({ message, datasetName: dataset.name, columns: chatColumns, index, previous: null })
        times.push(performance.now() - started)
      }
      return times
    },
    stop: () => app.stop(),
  }
}
