import { builder } from '../../schema/builder.ts'
import type { SqlResult, SqlRunner } from './sql-types.ts'

declare module '../../services.ts' {
  interface Services {
    /** The guarded executor (`createSqlExecutor`), possibly wrapped by the cache. */
    sql: SqlRunner
  }
}

export const ResultColumnRef = builder.objectRef<SqlResult['columns'][number]>('ResultColumn').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    type: t.exposeString('type', { description: 'PostgreSQL type name, e.g. `text`, `numeric`, `int8`, `timestamptz`.' }),
  }),
})

const DatasetReadRef = builder.objectRef<SqlResult['datasets'][number]>('SqlDatasetRead').implement({
  description: 'A dataset a statement read, at the version it read.',
  fields: (t) => ({
    id: t.exposeID('id'),
    tableName: t.exposeString('tableName'),
    version: t.exposeInt('version'),
  }),
})

/** The result plus whether the request continued an earlier page (for PageInfo.hasPreviousPage). */
type SqlResultShape = SqlResult & { continued: boolean }

export const SqlResultRef = builder.objectRef<SqlResultShape>('SqlResult').implement({
  description: 'One page of a read-only statement’s result.',
  fields: (t) => ({
    columns: t.field({ type: [ResultColumnRef], resolve: (r) => r.columns }),
    rows: t.field({
      type: ['JSON'],
      description: 'Rows as arrays in column order. int8 and numeric values are strings, so no precision is lost.',
      resolve: (r) => r.rows,
    }),
    rowCount: t.exposeInt('rowCount', { description: 'Rows in the whole result (all pages), capped at the server’s maximum.' }),
    durationMs: t.exposeFloat('durationMs'),
    pageInfo: t.field({
      type: builder.pageInfoRef(),
      resolve: (r) => ({ ...r.pageInfo, hasPreviousPage: r.continued, startCursor: null }),
    }),
    fingerprint: t.exposeString('fingerprint', { description: 'Normalized statement fingerprint (same for every spelling and constant).' }),
    datasets: t.field({ type: [DatasetReadRef], resolve: (r) => r.datasets }),
    cached: t.exposeBoolean('cached'),
    cacheLevel: t.string({ nullable: true, description: '`L1`, `L2`, or null when executed.', resolve: (r) => r.cacheLevel }),
  }),
})

builder.queryField('sql', (t) =>
  t.field({
    type: SqlResultRef,
    description: 'Runs one read-only statement against the datasets you can see, addressed by their table names.',
    authScopes: { viewer: true },
    args: {
      query: t.arg.string({ required: true }),
      first: t.arg.int({ description: 'Rows per page; default and maximum are server settings.' }),
      after: t.arg.string({ description: 'The endCursor of the previous page.' }),
    },
    resolve: async (_root, args, ctx) => {
      const result = await ctx.services.sql.run({
        sql: args.query, viewer: ctx.viewer, first: args.first, after: args.after, signal: ctx.signal, source: 'sql',
      })
      return { ...result, continued: Boolean(args.after) }
    },
  }),
)
