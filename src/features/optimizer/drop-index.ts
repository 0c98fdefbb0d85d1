import { sql } from 'kysely'
import { AppError } from '../../errors.ts'
import type { Viewer } from '../auth/viewer.ts'
import type { AdvisorContext } from './advisor-context.ts'
import type { AdvisorHooks } from './advisor-hooks.ts'
import { readExistingIndexes, type ExistingIndex } from './existing-indexes.ts'
import { forgetIndexUsage } from './index-usage.ts'
import { qualified } from '../../infra/quote-ident.ts'
import { protectedIndex } from './redundant-indexes.ts'
import { requireAdmin } from './require-admin.ts'

/**
 * Drops a dataset index by `schema.name` or bare name (when unambiguous). Only indexes on dataset tables, and
 * never one backing a primary key, unique or other constraint. CONCURRENTLY on real PostgreSQL, so neither
 * readers nor writers wait on it.
 */
export async function dropIndex(ctx: AdvisorContext, hooks: AdvisorHooks, indexName: string, viewer: Viewer): Promise<ExistingIndex> {
  requireAdmin(viewer)
  const index = await findIndex(ctx, indexName)
  if (protectedIndex(index)) throw new AppError('BAD_INPUT', `${index.name} backs a primary key, unique or other constraint and is not dropped`)
  const concurrently = ctx.database.kind === 'postgres' ? ' CONCURRENTLY' : ''
  await sql.raw(`DROP INDEX${concurrently} IF EXISTS ${qualified(index.schema, index.name)}`).execute(ctx.database.db)
  await forgetIndexUsage(ctx.database.db, index.schema, index.name)
  await ctx.store.markDropped(index.schema, index.name)
  const subject = `${index.schema}.${index.name}`
  hooks.activity?.record({ actor: viewer.id, action: 'index.drop', subject, detail: { table: index.table, definition: index.definition, sizeBytes: index.sizeBytes } })
  hooks.onEvent?.({ type: 'index.dropped', datasetId: null, indexName: subject, detail: { table: index.table, sizeBytes: index.sizeBytes } })
  return index
}

async function findIndex(ctx: AdvisorContext, indexName: string): Promise<ExistingIndex> {
  const dot = indexName.indexOf('.')
  const schema = dot > 0 ? indexName.slice(0, dot) : null
  const name = dot > 0 ? indexName.slice(dot + 1) : indexName
  const matches = (await readExistingIndexes(ctx.database.db)).filter((i) => i.name === name && (schema === null || i.schema === schema))
  if (matches.length === 0) throw new AppError('NOT_FOUND', `No dataset index named ${indexName}`)
  if (matches.length > 1) throw new AppError('BAD_INPUT', `Several dataset schemas have an index named ${name}; write it as schema.name`)
  return matches[0]!
}
