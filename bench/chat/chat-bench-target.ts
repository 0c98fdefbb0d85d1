import type { ChatAnswer } from '../../src/features/chat/chat-types.ts'

export interface BenchDataset {
  datasetId: string
  tableName: string
  /** Column names in CSV header order, as the catalog named them. */
  columnNames: string[]
}

/**
 * What the chat bench needs from a running PHERS: load a CSV, ask questions, run gold SQL. The PGlite
 * adapter stands in until the real app exists; the integrator can plug in the app behind this interface.
 */
export interface ChatBenchTarget {
  loadDataset(input: { name: string; csv: string }): Promise<BenchDataset>
  ask(input: { datasetId: string; message: string; conversationId?: string }): Promise<ChatAnswer>
  /** Runs trusted gold SQL; dataset tables are addressable unqualified. */
  query(sql: string): Promise<{ columns: string[]; rows: unknown[][] }>
  /** Server-side time to interpret each message (no SQL execution), in milliseconds. */
  interpretMs(datasetId: string, messages: readonly string[]): Promise<number[]>
  stop(): Promise<void>
}
