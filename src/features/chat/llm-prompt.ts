import type { ColumnInfo, DatasetInfo } from '../datasets/dataset-types.ts'
import type { ChatColumn } from './chat-column.ts'

export const LLM_SYSTEM_PROMPT = [
  'You translate questions about one PostgreSQL table into a single read-only SELECT statement.',
  'Use only the table and columns listed; never invent a column. Quote identifiers with double quotes.',
  'If the question needs data the table does not have, answer exactly: NO_SQL.',
  'Reply with the SQL only, in a ```sql block.',
].join('\n')

/** The schema, roles and a few sample values: enough for the model, nothing from other datasets. */
export const buildLlmPrompt = (question: string, dataset: DatasetInfo, columns: readonly ColumnInfo[], chatColumns: readonly ChatColumn[]) => {
  const lines = columns.map((c, i) => {
    const samples = c.topValues.slice(0, 5).map((t) => JSON.stringify(t.value)).join(', ')
    return `- "${c.name}" ${c.type}, header "${c.originalName}", role ${chatColumns[i]?.role ?? c.role ?? 'unknown'}${samples ? `, e.g. ${samples}` : ''}`
  })
  return `Table "${dataset.tableName}" (${dataset.rowCount} rows):\n${lines.join('\n')}\n\nQuestion: ${question}`
}
