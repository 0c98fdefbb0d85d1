import { filter, pipe } from 'graphql-yoga'
import { AppError } from '../../errors.ts'
import { builder } from '../../schema/builder.ts'
import { activityCursor } from './activity-log.ts'
import { alertCursor } from './alert-repository.ts'
import type { Page } from './keyset-cursor.ts'
import { ALERT_EVENTS_TOPIC } from './telemetry.ts'
import { telemetryOf } from './telemetry-service.ts'
import {
  ActivityEntryRef, AlertEventRef, AlertRef, BottleneckRef, PerformanceSnapshotRef, SeverityEnum,
} from './telemetry-schema-types.ts'
import { SEVERITIES, type AlertEvent } from './telemetry-types.ts'

/** Relay connection from a keyset page; only forward paging (first/after) is offered. */
function toConnection<T>(page: Page<T>, cursorOf: (node: T) => string, args: { last?: number | null; before?: string | null }) {
  if (args.last != null || args.before != null) throw new AppError('BAD_INPUT', 'only forward paging (first, after) is supported')
  const edges = page.nodes.map((node) => ({ node, cursor: cursorOf(node) }))
  return {
    edges,
    pageInfo: {
      hasNextPage: page.pageInfo.hasNextPage,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: page.pageInfo.endCursor,
    },
  }
}

const isAlertEvent = (value: unknown): value is AlertEvent =>
  typeof value === 'object' && value !== null && 'kind' in value && 'alert' in value

builder.queryFields((t) => ({
  performance: t.field({
    type: PerformanceSnapshotRef,
    authScopes: { analyst: true },
    description: 'Resources, top operations and fingerprints, and active alerts of the instance that answers.',
    resolve: (_root, _args, ctx) => telemetryOf(ctx).snapshot(),
  }),
  bottlenecks: t.field({
    type: [BottleneckRef],
    authScopes: { analyst: true },
    description: 'Fingerprints with the most total time over the last hour, with their latest plan summary.',
    args: { first: t.arg.int({ defaultValue: 10 }) },
    resolve: (_root, { first }, ctx) => {
      const n = first ?? 10
      if (n < 1 || n > 100) throw new AppError('BAD_INPUT', 'first must be between 1 and 100', { first })
      return telemetryOf(ctx).bottlenecks(n)
    },
  }),
  alerts: t.connection({
    type: AlertRef,
    description: 'Alert history of every instance, newest first; `active: true` for the ones still firing.',
    args: { active: t.arg.boolean() },
    resolve: async (_root, args, ctx) =>
      toConnection(await telemetryOf(ctx).alerts({ active: args.active, first: args.first, after: args.after }), alertCursor, args),
  }),
  activityLog: t.connection({
    type: ActivityEntryRef,
    authScopes: { admin: true },
    description: 'Audit trail: uploads, deletions, key and index changes, alert transitions. Newest first.',
    args: {
      actions: t.arg.stringList({ description: 'Exact actions, or prefixes ending in "." such as "dataset."' }),
      actor: t.arg.string(),
      since: t.arg({ type: 'DateTime' }),
    },
    resolve: async (_root, args, ctx) =>
      toConnection(
        await telemetryOf(ctx).activity.list({ actions: args.actions, actor: args.actor, since: args.since, first: args.first, after: args.after }),
        activityCursor,
        args,
      ),
  }),
}))

builder.subscriptionFields((t) => ({
  performanceSnapshots: t.field({
    type: PerformanceSnapshotRef,
    authScopes: { analyst: true },
    description: 'A snapshot of the instance this connection is on, every intervalMs (100..60000).',
    args: { intervalMs: t.arg.int({ defaultValue: 1000 }) },
    subscribe: (_root, { intervalMs }, ctx) => telemetryOf(ctx).snapshots(intervalMs ?? 1000, ctx.signal),
    resolve: (snapshot) => snapshot,
  }),
  alertEvents: t.field({
    type: AlertEventRef,
    description: 'Alerts firing and resolving on any instance (over Redis when REDIS_URL is set).',
    args: { minSeverity: t.arg({ type: SeverityEnum }) },
    subscribe: (_root, { minSeverity }, ctx) => {
      const floor = SEVERITIES.indexOf(minSeverity ?? 'INFO')
      return pipe(
        ctx.services.pubsub.subscribe(ALERT_EVENTS_TOPIC),
        filter((event: unknown): event is AlertEvent => isAlertEvent(event) && SEVERITIES.indexOf(event.alert.severity) >= floor),
      )
    },
    resolve: (event) => event as AlertEvent,
  }),
}))
