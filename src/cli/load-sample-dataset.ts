import { createReadStream, existsSync, statSync } from 'node:fs'
import type { App } from '../app.ts'
import { LOCAL_ADMIN } from '../features/auth/resolve-viewer.ts'

/** Name under which the bundled IT asset register is loaded; its table is `it_assets`. */
export const SAMPLE_NAME = 'it_assets'

/**
 * Loads the bundled sample once (skipped when a dataset of that name exists), shared so every API key can
 * query it too.
 */
export async function loadSampleDataset(app: App, file: string): Promise<void> {
  const { datasets } = app.services
  if (await datasets.getByName(SAMPLE_NAME, LOCAL_ADMIN)) return
  if (!existsSync(file)) throw new Error(`sample file missing: ${file} (run npm run sample)`)
  const dataset = await datasets.ingest({
    source: createReadStream(file),
    reread: () => createReadStream(file),
    fileName: 'it-assets.csv',
    name: SAMPLE_NAME,
    owner: LOCAL_ADMIN,
  })
  await datasets.setVisibility(dataset.id, 'SHARED', LOCAL_ADMIN)
  app.logger.info({ rows: dataset.rowCount, table: dataset.tableName, bytes: statSync(file).size }, 'sample dataset loaded')
}
