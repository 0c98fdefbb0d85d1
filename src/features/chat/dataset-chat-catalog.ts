import type { Kysely } from 'kysely'
import { AppError } from '../../errors.ts'
import type { DatasetService } from '../datasets/dataset-service.ts'
import { setColumnRole } from '../datasets/set-column-role.ts'
import type { ChatCatalog } from './chat-types.ts'

/** Datasets a question may be matched against when it names none (the most recently updated first). */
const MAX_LISTED = 100

/** The chat's view of the dataset catalog, backed by the datasets service (visibility enforced there). */
export function createDatasetChatCatalog({ datasets, db }: { datasets: DatasetService; db: Kysely<any> }): ChatCatalog {
  return {
    async listDatasets(viewer) {
      const page = await datasets.listVisible(viewer, { first: MAX_LISTED })
      return [...page.nodes].sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())
    },
    getDataset: (id, viewer) => datasets.get(id, viewer),
    async columns(datasetId) {
      const [columns] = await datasets.columns([datasetId])
      return columns ?? []
    },
    async setColumnRole(datasetId, column, role, viewer) {
      const dataset = await datasets.get(datasetId, viewer)
      if (!dataset) throw new AppError('NOT_FOUND', `no dataset with id ${datasetId}`)
      return setColumnRole(db, dataset, column, role, viewer)
    },
  }
}
