import { builder } from '../../schema/builder.ts'
import type { ActivityEntry } from './activity-log.ts'
import type {
  Alert, AlertEvent, Bottleneck, FingerprintSummary, OperationSummary, PerformanceSnapshot, PlanSummary,
  ResourceSample, WindowSummary,
} from './telemetry-types.ts'

/** GraphQL object types for telemetry; the fields that use them live in telemetry.schema.ts. */
export const SeverityEnum = builder.enumType('Severity', { values: ['INFO', 'WARNING', 'CRITICAL'] as const })
const AlertEventKindEnum = builder.enumType('AlertEventKind', { values: ['FIRED', 'RESOLVED'] as const })
const SubjectKindEnum = builder.enumType('AlertSubjectKind', {
  values: { OPERATION: { value: 'operation' }, FINGERPRINT: { value: 'fingerprint' }, RESOURCE: { value: 'resource' } } as const,
})
const OperationTypeEnum = builder.enumType('OperationType', {
  values: { QUERY: { value: 'query' }, MUTATION: { value: 'mutation' }, SUBSCRIPTION: { value: 'subscription' } } as const,
})

const NamedValue = builder.objectRef<[string, number]>('NamedValue').implement({
  fields: (t) => ({ name: t.string({ resolve: ([n]) => n }), value: t.float({ resolve: ([, v]) => v }) }),
})

const WindowSummaryRef = builder.objectRef<WindowSummary>('WindowSummary').implement({
  description: 'Figures over one sliding window (1m, 5m or 1h). Percentiles are within ~9 %.',
  fields: (t) => ({
    window: t.exposeString('window'),
    count: t.exposeInt('count'),
    errors: t.exposeInt('errors'),
    errorRate: t.exposeFloat('errorRate'),
    ratePerSec: t.exposeFloat('ratePerSec'),
    totalMs: t.exposeFloat('totalMs'),
    p50Ms: t.exposeFloat('p50Ms'),
    p95Ms: t.exposeFloat('p95Ms'),
    p99Ms: t.exposeFloat('p99Ms'),
    rows: t.exposeFloat('rows'),
    cacheHits: t.exposeInt('cacheHits'),
    cacheHitRatio: t.exposeFloat('cacheHitRatio', { nullable: true }),
  }),
})

const OperationSummaryRef = builder.objectRef<OperationSummary>('OperationSummary').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    type: t.field({ type: OperationTypeEnum, resolve: (o) => o.type }),
    windows: t.field({ type: [WindowSummaryRef], resolve: (o) => o.windows }),
  }),
})

const FingerprintSummaryRef = builder.objectRef<FingerprintSummary>('FingerprintSummary').implement({
  fields: (t) => ({
    fingerprint: t.exposeString('fingerprint'),
    sql: t.exposeString('sql', { description: 'The first statement seen with this fingerprint (truncated to 2,000 characters).' }),
    datasets: t.exposeStringList('datasets'),
    windows: t.field({ type: [WindowSummaryRef], resolve: (f) => f.windows }),
  }),
})

const PgPoolRef = builder.objectRef<NonNullable<ResourceSample['pgPool']>>('PgPoolStats').implement({
  fields: (t) => ({ total: t.exposeInt('total'), idle: t.exposeInt('idle'), waiting: t.exposeInt('waiting') }),
})
const RedisRef = builder.objectRef<NonNullable<ResourceSample['redis']>>('RedisStatus').implement({
  fields: (t) => ({ status: t.exposeString('status'), rttMs: t.exposeFloat('rttMs', { nullable: true }) }),
})

const ResourceSampleRef = builder.objectRef<ResourceSample>('ResourceSample').implement({
  fields: (t) => ({
    sampledAt: t.field({ type: 'DateTime', resolve: (r) => new Date(r.at) }),
    cpuPercent: t.exposeFloat('cpuPercent', { description: 'Percent of one core over the last second.' }),
    rssBytes: t.exposeFloat('rssBytes'),
    heapUsedBytes: t.exposeFloat('heapUsedBytes'),
    heapLimitBytes: t.exposeFloat('heapLimitBytes'),
    eventLoopDelayP50Ms: t.exposeFloat('eventLoopDelayP50Ms'),
    eventLoopDelayP99Ms: t.exposeFloat('eventLoopDelayP99Ms'),
    eventLoopDelayMaxMs: t.exposeFloat('eventLoopDelayMaxMs'),
    gcPauseMs: t.exposeFloat('gcPauseMs'),
    gcCount: t.exposeInt('gcCount'),
    pgPool: t.field({ type: PgPoolRef, nullable: true, resolve: (r) => r.pgPool }),
    redis: t.field({ type: RedisRef, nullable: true, resolve: (r) => r.redis }),
    openSubscriptions: t.exposeInt('openSubscriptions'),
    inFlightOperations: t.exposeInt('inFlightOperations'),
    queueDepths: t.field({ type: [NamedValue], resolve: (r) => Object.entries(r.queueDepths) }),
    cache: t.field({ type: [NamedValue], resolve: (r) => Object.entries(r.cache) }),
  }),
})

export const AlertRef = builder.objectRef<Alert>('Alert').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    rule: t.exposeString('rule'),
    severity: t.field({ type: SeverityEnum, resolve: (a) => a.severity }),
    subjectKind: t.field({ type: SubjectKindEnum, resolve: (a) => a.subjectKind }),
    subject: t.exposeString('subject'),
    message: t.exposeString('message'),
    value: t.exposeFloat('value'),
    threshold: t.exposeFloat('threshold'),
    // Dates arrive as ISO strings when the event crossed Redis; DateTime serializes both.
    firedAt: t.field({ type: 'DateTime', resolve: (a) => a.firedAt }),
    resolvedAt: t.field({ type: 'DateTime', nullable: true, resolve: (a) => a.resolvedAt }),
    instanceId: t.exposeString('instanceId'),
  }),
})

export const AlertEventRef = builder.objectRef<AlertEvent>('AlertEvent').implement({
  fields: (t) => ({
    kind: t.field({ type: AlertEventKindEnum, resolve: (e) => e.kind }),
    alert: t.field({ type: AlertRef, resolve: (e) => e.alert }),
  }),
})

export const PerformanceSnapshotRef = builder.objectRef<PerformanceSnapshot>('PerformanceSnapshot').implement({
  description: 'Figures of the one instance that answered (instanceId); alerts are those active on it.',
  fields: (t) => ({
    instanceId: t.exposeString('instanceId'),
    takenAt: t.field({ type: 'DateTime', resolve: (s) => s.takenAt }),
    resources: t.field({ type: ResourceSampleRef, resolve: (s) => s.resources }),
    operations: t.field({ type: [OperationSummaryRef], resolve: (s) => s.operations }),
    fingerprints: t.field({ type: [FingerprintSummaryRef], resolve: (s) => s.fingerprints }),
    alerts: t.field({ type: [AlertRef], resolve: (s) => s.alerts }),
  }),
})

const SeqScanRef = builder.objectRef<PlanSummary['seqScans'][number]>('PlanSeqScan').implement({
  fields: (t) => ({ table: t.exposeString('table'), rows: t.exposeFloat('rows') }),
})
const DiskSortRef = builder.objectRef<PlanSummary['diskSorts'][number]>('PlanDiskSort').implement({
  fields: (t) => ({ node: t.exposeString('node'), spaceKb: t.exposeFloat('spaceKb') }),
})
const MisestimateRef = builder.objectRef<PlanSummary['misestimates'][number]>('PlanMisestimate').implement({
  fields: (t) => ({ node: t.exposeString('node'), estimatedRows: t.exposeFloat('estimatedRows'), actualRows: t.exposeFloat('actualRows') }),
})
const PlanSummaryRef = builder.objectRef<PlanSummary>('PlanSummary').implement({
  fields: (t) => ({
    capturedAt: t.field({ type: 'DateTime', resolve: (p) => p.capturedAt }),
    totalCost: t.exposeFloat('totalCost', { nullable: true }),
    executionMs: t.exposeFloat('executionMs', { nullable: true }),
    seqScans: t.field({ type: [SeqScanRef], resolve: (p) => p.seqScans }),
    diskSorts: t.field({ type: [DiskSortRef], resolve: (p) => p.diskSorts }),
    misestimates: t.field({ type: [MisestimateRef], resolve: (p) => p.misestimates }),
  }),
})

export const BottleneckRef = builder.objectRef<Bottleneck>('Bottleneck').implement({
  fields: (t) => ({
    fingerprint: t.exposeString('fingerprint'),
    sql: t.exposeString('sql'),
    datasets: t.exposeStringList('datasets'),
    window: t.exposeString('window'),
    calls: t.exposeInt('calls'),
    errors: t.exposeInt('errors'),
    totalMs: t.exposeFloat('totalMs'),
    meanMs: t.exposeFloat('meanMs'),
    p95Ms: t.exposeFloat('p95Ms'),
    rows: t.exposeFloat('rows'),
    cacheHitRatio: t.exposeFloat('cacheHitRatio', { nullable: true }),
    plan: t.field({ type: PlanSummaryRef, nullable: true, resolve: (b) => b.plan }),
  }),
})

export const ActivityEntryRef = builder.objectRef<ActivityEntry>('ActivityEntry').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    occurredAt: t.field({ type: 'DateTime', resolve: (e) => e.occurredAt }),
    actor: t.exposeString('actor'),
    action: t.exposeString('action'),
    subject: t.exposeString('subject'),
    detail: t.field({ type: 'JSON', resolve: (e) => e.detail }),
    instanceId: t.exposeString('instanceId'),
  }),
})
