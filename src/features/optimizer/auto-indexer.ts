import { sql } from 'kysely'
import type { AdvisorContext } from './advisor-context.ts'
import type { AdvisorHooks } from './advisor-hooks.ts'
import { applyRecommendation } from './apply-recommendation.ts'
import { readDatasetTable } from './dataset-table.ts'
import { readExistingIndexes } from './existing-indexes.ts'
import { ADVISOR_VIEWER } from './measure-statements.ts'
import type { IndexRecommendation } from './optimizer-types.ts'
import type { RecommendationRun } from './recommend-indexes.ts'

export interface AutoPassResult {
  applied: IndexRecommendation[]
  /** Recommendations that passed the thresholds but would exceed a limit, with the limit's name. */
  held: { recommendation: IndexRecommendation; limit: 'maxIndexesPerTable' | 'maxIndexBytesPerDataset' }[]
}

/**
 * One auto-mode pass: every dataset the workload reads gets fresh recommendations (which already passed the
 * cost threshold), applied cheapest-first while the table stays under `maxIndexesPerTable` and the dataset
 * under `maxIndexBytesPerDataset`. Each build is logged to the activity log as `index.auto-create`.
 */
export async function runAutoPass(ctx: AdvisorContext, hooks: AdvisorHooks, recommend: (datasetId: string) => Promise<RecommendationRun>): Promise<AutoPassResult> {
  const result: AutoPassResult = { applied: [], held: [] }
  for (const datasetId of await workloadDatasets(ctx)) {
    const run = await recommend(datasetId)
    const dataset = await readDatasetTable(ctx.database.db, datasetId)
    const existing = await readExistingIndexes(ctx.database.db, dataset)
    let count = existing.length
    let bytes = existing.reduce((sum, i) => sum + i.sizeBytes, 0)
    const pending = run.recommendations.filter((r) => r.status === 'PENDING').sort((a, b) => a.sizeBytes - b.sizeBytes)
    for (const recommendation of pending) {
      if (count + 1 > ctx.limits.maxIndexesPerTable) result.held.push({ recommendation, limit: 'maxIndexesPerTable' })
      else if (bytes + recommendation.sizeBytes > ctx.limits.maxIndexBytesPerDataset) result.held.push({ recommendation, limit: 'maxIndexBytesPerDataset' })
      else {
        result.applied.push(await applyRecommendation(ctx, hooks, recommendation.id, ADVISOR_VIEWER, 'index.auto-create'))
        count += 1
        bytes += recommendation.sizeBytes
      }
    }
  }
  return result
}

/** Datasets that exist and appear in the recorded workload. */
async function workloadDatasets(ctx: AdvisorContext): Promise<string[]> {
  const result = await sql<{ id: string }>`SELECT d.id FROM phers.datasets d
    WHERE EXISTS (SELECT 1 FROM phers.workload w WHERE w.dataset_ids @> jsonb_build_array(d.id)) ORDER BY d.id`.execute(ctx.database.db)
  return result.rows.map((r) => r.id)
}
