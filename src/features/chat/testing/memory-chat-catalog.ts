import type { ColumnInfo, DatasetInfo } from '../../datasets/dataset-types.ts'
import type { ChatCatalog } from '../chat-types.ts'

/** An in-memory ChatCatalog for tests and the bench: every dataset is visible to every viewer. */
export const createMemoryChatCatalog = (entries: { dataset: DatasetInfo; columns: ColumnInfo[] }[] = []) => {
  const datasets = new Map(entries.map((e) => [e.dataset.id, e]))
  const catalog: ChatCatalog & { add(entry: { dataset: DatasetInfo; columns: ColumnInfo[] }): void } = {
    add: (entry) => void datasets.set(entry.dataset.id, entry),
    listDatasets: async () => [...datasets.values()].map((e) => e.dataset),
    getDataset: async (id) => datasets.get(id)?.dataset ?? null,
    columns: async (id) => datasets.get(id)?.columns ?? [],
    setColumnRole: async (id, column, role) => {
      const entry = datasets.get(id)
      const index = entry?.columns.findIndex((c) => c.name === column) ?? -1
      if (!entry || index < 0) throw new Error(`no column ${column}`)
      const updated = { ...entry.columns[index]!, role, roleConfidence: 1 }
      entry.columns[index] = updated
      return updated
    },
  }
  return catalog
}
