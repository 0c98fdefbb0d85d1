import DataLoader from 'dataloader'
import type { AppContext } from '../../context.ts'
import { AppError } from '../../errors.ts'
import { builder } from '../../schema/builder.ts'
import { datasetCursor, type DatasetPreview, type DatasetService } from './dataset-service.ts'
import type { ColumnInference, ColumnInfo, ColumnType, DatasetInfo, TopValue } from './dataset-types.ts'
import { COLUMN_TYPES } from './set-column-type.ts'

declare module '../../services.ts' {
  interface Services {
    /** CSV ingest and the dataset catalog (`createDatasetService`). */
    datasets: DatasetService
  }
}

/** Columns of every dataset a request touches, fetched with one query (per-request, on `ctx.loaders`). */
function columnsLoader(ctx: AppContext): DataLoader<string, ColumnInfo[]> {
  const existing = ctx.loaders.datasetColumns as DataLoader<string, ColumnInfo[]> | undefined
  if (existing) return existing
  const loader = new DataLoader<string, ColumnInfo[]>((ids) => ctx.services.datasets.columns(ids))
  ctx.loaders.datasetColumns = loader
  return loader
}

const ColumnTypeEnum = builder.enumType('ColumnType', {
  description: 'PostgreSQL type of a dataset column.',
  values: Object.fromEntries(COLUMN_TYPES.map((t) => [t.toUpperCase(), { value: t }])) as Record<Uppercase<ColumnType>, { value: ColumnType }>,
})

const VisibilityEnum = builder.enumType('Visibility', {
  description: 'PRIVATE: only the owner (and admins); SHARED: everyone with a key.',
  values: ['PRIVATE', 'SHARED'] as const,
})

const TopValueRef = builder.objectRef<TopValue>('TopValue').implement({
  fields: (t) => ({ value: t.exposeString('value'), count: t.exposeInt('count') }),
})

const InferenceRef = builder.objectRef<ColumnInference>('ColumnInference').implement({
  description: 'How the column type was decided, from every row of the upload.',
  fields: (t) => ({
    type: t.exposeString('type', { description: 'PostgreSQL type name chosen, e.g. `integer`, `numeric`, `date`, `text`.' }),
    confidence: t.exposeFloat('confidence', { description: '0..1. For text: 1 minus the largest share of cells another type would have read.' }),
    examplesRejected: t.exposeStringList('examplesRejected', { description: 'Cells that ruled out a narrower type.' }),
    format: t.exposeString('format', { nullable: true, description: 'Convention read, e.g. `MM/DD/YYYY`, `$1,234.56`, `1.234,56 €`, `1,234.56%`.' }),
  }),
})

const ColumnRef = builder.objectRef<ColumnInfo>('Column').implement({
  fields: (t) => ({
    position: t.exposeInt('position'),
    name: t.exposeString('name', { description: 'The SQL name (snake_case, safe to type unquoted).' }),
    originalName: t.exposeString('originalName', { description: 'The header as written in the file.' }),
    type: t.exposeString('type', { description: 'PostgreSQL type name: `integer`, `bigint`, `numeric`, `boolean`, `date`, `timestamp`, `timestamptz` or `text`.' }),
    nullCount: t.exposeInt('nullCount'),
    distinctCount: t.exposeInt('distinctCount', { description: 'Exact up to 100,000 rows, estimated (ANALYZE) above.' }),
    min: t.exposeString('min', { nullable: true }),
    max: t.exposeString('max', { nullable: true }),
    topValues: t.field({ type: [TopValueRef], resolve: (c) => c.topValues }),
    inference: t.field({ type: InferenceRef, resolve: (c) => c.inference }),
    role: t.exposeString('role', { nullable: true, description: 'Semantic role (identifier, money, email, …), when detected.' }),
    roleConfidence: t.exposeFloat('roleConfidence'),
  }),
})

const PreviewRef = builder.objectRef<DatasetPreview>('DatasetPreview').implement({
  fields: (t) => ({
    columns: t.stringList({ resolve: (p) => p.columns.map((c) => c.name) }),
    rows: t.field({ type: ['JSON'], description: 'Rows in file order as arrays of PostgreSQL text values (null for NULL).', resolve: (p) => p.rows }),
  }),
})

export const DatasetRef = builder.objectRef<DatasetInfo>('Dataset').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    tableName: t.exposeString('tableName', { description: 'What to write in FROM.' }),
    version: t.exposeInt('version', { description: 'Bumped by every replace, re-type or visibility change.' }),
    rowCount: t.exposeInt('rowCount'),
    ownerId: t.exposeID('ownerId'),
    visibility: t.field({ type: VisibilityEnum, resolve: (d) => d.visibility }),
    fileName: t.exposeString('fileName', { nullable: true }),
    fileSize: t.exposeFloat('fileSize', { description: 'Bytes.' }),
    createdAt: t.field({ type: 'DateTime', resolve: (d) => d.createdAt }),
    updatedAt: t.field({ type: 'DateTime', resolve: (d) => d.updatedAt }),
    columns: t.field({ type: [ColumnRef], resolve: (d, _args, ctx) => columnsLoader(ctx).load(d.id) }),
    previewRows: t.field({
      type: PreviewRef,
      args: { first: t.arg.int({ defaultValue: 20 }) },
      resolve: (d, args, ctx) => ctx.services.datasets.preview(d, args.first ?? 20),
    }),
  }),
})

builder.queryFields((t) => ({
  datasets: t.connection({
    type: DatasetRef,
    description: 'Datasets you can see: your own and shared ones (admins: all), by name.',
    authScopes: { viewer: true },
    resolve: async (_root, args, ctx) => {
      const page = await ctx.services.datasets.listVisible(ctx.viewer, { first: args.first, after: args.after })
      return {
        edges: page.nodes.map((node) => ({ node, cursor: datasetCursor(node) })),
        pageInfo: { hasNextPage: page.hasNextPage, hasPreviousPage: Boolean(args.after), startCursor: page.nodes[0] ? datasetCursor(page.nodes[0]) : null, endCursor: page.endCursor },
      }
    },
  }),
  dataset: t.field({
    type: DatasetRef,
    nullable: true,
    description: 'One dataset by id or by name (your own first, then shared).',
    authScopes: { viewer: true },
    args: { id: t.arg.id(), name: t.arg.string() },
    resolve: (_root, args, ctx) => {
      if (args.id) return ctx.services.datasets.get(String(args.id), ctx.viewer)
      if (args.name) return ctx.services.datasets.getByName(args.name, ctx.viewer)
      throw new AppError('BAD_INPUT', 'dataset needs an id or a name')
    },
  }),
}))

builder.mutationFields((t) => ({
  uploadDataset: t.field({
    type: DatasetRef,
    description: 'Uploads a CSV (multipart request). An existing dataset of yours with that name is replaced atomically.',
    authScopes: { analyst: true },
    args: { file: t.arg({ type: 'File', required: true }), name: t.arg.string() },
    resolve: (_root, args, ctx) =>
      // A File's stream can be opened again (graphql-upload keeps the part in a temporary file): a redo re-reads it.
      ctx.services.datasets.ingest({ source: args.file.stream(), reread: () => args.file.stream(), fileName: args.file.name, name: args.name, owner: ctx.viewer, signal: ctx.signal }),
  }),
  deleteDataset: t.field({
    type: DatasetRef,
    description: 'Deletes a dataset and its table; returns what was deleted.',
    authScopes: { analyst: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => ctx.services.datasets.delete(String(args.id), ctx.viewer),
  }),
  setColumnType: t.field({
    type: ColumnRef,
    description: 'Re-types one column in place (no re-upload); fails with BAD_INPUT naming a value that does not convert.',
    authScopes: { analyst: true },
    args: { datasetId: t.arg.id({ required: true }), column: t.arg.string({ required: true }), type: t.arg({ type: ColumnTypeEnum, required: true }) },
    resolve: (_root, args, ctx) => ctx.services.datasets.setColumnType(String(args.datasetId), args.column, args.type, ctx.viewer),
  }),
  setDatasetVisibility: t.field({
    type: DatasetRef,
    authScopes: { analyst: true },
    args: { id: t.arg.id({ required: true }), visibility: t.arg({ type: VisibilityEnum, required: true }) },
    resolve: (_root, args, ctx) => ctx.services.datasets.setVisibility(String(args.id), args.visibility, ctx.viewer),
  }),
}))
