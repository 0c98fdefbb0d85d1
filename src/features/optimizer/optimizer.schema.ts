import { builder } from '../../schema/builder.ts'
import type { ExistingIndex } from './existing-indexes.ts'
import type { IndexAdvisor } from './index-advisor.ts'
import type { ExplainResult, HelpedStatement, IndexHealthIssue, IndexKey, IndexRecommendation, MeasuredGain, PlanNodeView } from './optimizer-types.ts'

declare module '../../services.ts' {
  interface Services {
    /** The index advisor (`createIndexAdvisor`). */
    optimizer: IndexAdvisor
  }
}

const IndexMethodEnum = builder.enumType('IndexMethod', { values: { BTREE: { value: 'btree' }, GIN_TRGM: { value: 'gin_trgm' } } as const })
const RecommendationStatusEnum = builder.enumType('IndexRecommendationStatus', {
  values: ['PENDING', 'APPLIED', 'DROP_RECOMMENDED', 'DROPPED'] as const,
})
const HealthKindEnum = builder.enumType('IndexHealthKind', { values: ['UNUSED', 'DUPLICATE', 'PREFIX_REDUNDANT'] as const })

const IndexKeyRef = builder.objectRef<IndexKey>('IndexKey').implement({
  description: 'One key of an index: a column, possibly inside a function (`lower(name)`), possibly with an operator class.',
  fields: (t) => ({
    column: t.exposeString('column'),
    function: t.string({ nullable: true, resolve: (k) => k.fn }),
    opclass: t.exposeString('opclass', { nullable: true }),
  }),
})

const HelpedStatementRef = builder.objectRef<HelpedStatement>('IndexHelpedStatement').implement({
  fields: (t) => ({
    fingerprint: t.exposeString('fingerprint'),
    sql: t.exposeString('sql', { description: 'An example statement of this shape from the workload.' }),
    calls: t.exposeFloat('calls'),
    costBefore: t.exposeFloat('costBefore', { description: 'Planner cost estimate without the index.' }),
    costAfter: t.exposeFloat('costAfter', { description: 'Planner cost estimate with the index.' }),
  }),
})

const MeasuredGainRef = builder.objectRef<MeasuredGain>('IndexMeasuredGain').implement({
  description: 'Server-side execution time of the helped statements before and after building the index (call-weighted medians).',
  fields: (t) => ({
    beforeMs: t.exposeFloat('beforeMs'),
    afterMs: t.exposeFloat('afterMs'),
    speedup: t.exposeFloat('speedup'),
    note: t.exposeString('note'),
  }),
})

const RecommendationRef = builder.objectRef<IndexRecommendation>('IndexRecommendation').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    datasetId: t.exposeID('datasetId'),
    table: t.exposeString('table'),
    indexName: t.exposeString('indexName'),
    method: t.field({ type: IndexMethodEnum, resolve: (r) => r.method }),
    keys: t.field({ type: [IndexKeyRef], resolve: (r) => r.keys }),
    statement: t.exposeString('statement', { description: 'The CREATE INDEX statement.' }),
    helped: t.field({ type: [HelpedStatementRef], resolve: (r) => r.helped }),
    costBefore: t.exposeFloat('costBefore', { description: 'Call-weighted estimated cost of the helped statements today.' }),
    costAfter: t.exposeFloat('costAfter', { description: 'The same with the index.' }),
    sizeBytes: t.exposeFloat('sizeBytes', { description: 'Estimated size of the index.' }),
    reason: t.exposeString('reason'),
    status: t.field({ type: RecommendationStatusEnum, resolve: (r) => r.status }),
    measured: t.field({ type: MeasuredGainRef, nullable: true, resolve: (r) => r.measured }),
    createdAt: t.field({ type: 'DateTime', resolve: (r) => r.createdAt }),
    updatedAt: t.field({ type: 'DateTime', resolve: (r) => r.updatedAt }),
  }),
})

const HealthIssueRef = builder.objectRef<IndexHealthIssue>('IndexHealthIssue').implement({
  description: 'An index worth dropping, and why. Indexes backing primary keys or unique constraints are never listed.',
  fields: (t) => ({
    kind: t.field({ type: HealthKindEnum, resolve: (i) => i.kind }),
    table: t.exposeString('table'),
    indexName: t.exposeString('indexName'),
    qualifiedName: t.string({ resolve: (i) => `${i.schema}.${i.indexName}` }),
    sizeBytes: t.exposeFloat('sizeBytes'),
    definition: t.exposeString('definition'),
    coveredBy: t.exposeString('coveredBy', { nullable: true }),
    reason: t.exposeString('reason'),
    dropStatement: t.exposeString('dropStatement'),
  }),
})

const DroppedIndexRef = builder.objectRef<ExistingIndex>('DroppedIndex').implement({
  fields: (t) => ({
    table: t.exposeString('table'),
    indexName: t.exposeString('name'),
    sizeBytes: t.exposeFloat('sizeBytes'),
    definition: t.exposeString('definition'),
  }),
})

const PlanNodeRef = builder.objectRef<PlanNodeView>('PlanNode')
PlanNodeRef.implement({
  fields: (t) => ({
    nodeType: t.exposeString('nodeType'),
    relation: t.exposeString('relation', { nullable: true }),
    indexName: t.exposeString('indexName', { nullable: true }),
    startupCost: t.exposeFloat('startupCost'),
    totalCost: t.exposeFloat('totalCost'),
    planRows: t.exposeFloat('planRows'),
    actualRows: t.exposeFloat('actualRows', { nullable: true }),
    actualTimeMs: t.exposeFloat('actualTimeMs', { nullable: true }),
    loops: t.exposeFloat('loops', { nullable: true }),
    filter: t.exposeString('filter', { nullable: true }),
    rowsRemovedByFilter: t.exposeFloat('rowsRemovedByFilter', { nullable: true }),
    detail: t.exposeString('detail', { nullable: true }),
    children: t.field({ type: [PlanNodeRef], resolve: (n) => n.children }),
  }),
})

const ExplainResultRef = builder.objectRef<ExplainResult>('ExplainResult').implement({
  fields: (t) => ({
    plan: t.field({ type: PlanNodeRef, resolve: (r) => r.plan }),
    summary: t.stringList({ description: 'The costly parts in plain words, with the index that would help.', resolve: (r) => r.summary }),
    totalCost: t.exposeFloat('totalCost'),
    planningMs: t.exposeFloat('planningMs', { nullable: true }),
    executionMs: t.exposeFloat('executionMs', { nullable: true, description: 'Only with analyze: true.' }),
    raw: t.field({ type: 'JSON', description: 'EXPLAIN (FORMAT JSON) output without output column lists.', resolve: (r) => r.raw }),
  }),
})

builder.queryFields((t) => ({
  indexRecommendations: t.field({
    type: [RecommendationRef],
    description: 'Evaluates the recorded workload of a dataset and returns the indexes worth building (recomputed on each call).',
    authScopes: { admin: true },
    args: { datasetId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => (await ctx.services.optimizer.recommend(String(args.datasetId))).recommendations,
  }),
  indexHealth: t.field({
    type: [HealthIssueRef],
    description: 'Unused, duplicate and prefix-redundant dataset indexes, with drop recommendations.',
    authScopes: { admin: true },
    args: { datasetId: t.arg.id() },
    resolve: (_root, args, ctx) => ctx.services.optimizer.health(args.datasetId === null || args.datasetId === undefined ? undefined : String(args.datasetId)),
  }),
  explain: t.field({
    type: ExplainResultRef,
    description: 'The plan of a read-only statement as a tree plus a plain-words summary; the same rules as `sql`.',
    authScopes: { viewer: true },
    args: { query: t.arg.string({ required: true }), analyze: t.arg.boolean({ description: 'Run it (EXPLAIN ANALYZE, BUFFERS). Default false.' }) },
    resolve: (_root, args, ctx) => ctx.services.optimizer.explain(args.query, ctx.viewer, { analyze: args.analyze ?? false }),
  }),
}))

builder.mutationFields((t) => ({
  applyIndexRecommendation: t.field({
    type: RecommendationRef,
    description: 'Builds the index (CONCURRENTLY on PostgreSQL) and records the measured before/after latency.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => ctx.services.optimizer.apply(String(args.id), ctx.viewer),
  }),
  dropIndex: t.field({
    type: DroppedIndexRef,
    description: 'Drops a dataset index by name (`schema.name` when ambiguous); never one backing a constraint.',
    authScopes: { admin: true },
    args: { name: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => ctx.services.optimizer.drop(args.name, ctx.viewer),
  }),
  setAutoIndex: t.boolean({
    description: 'Turns automatic index building on or off; returns the new state.',
    authScopes: { admin: true },
    args: { enabled: t.arg.boolean({ required: true }) },
    resolve: (_root, args, ctx) => ctx.services.optimizer.setAuto(args.enabled, ctx.viewer),
  }),
}))
