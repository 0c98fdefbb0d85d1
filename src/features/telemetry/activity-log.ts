import { sql, type Kysely } from 'kysely'
import type { Logger } from 'pino'
import { clampFirst, decodeCursor, encodeCursor, type Page } from './keyset-cursor.ts'
import type { Clock } from './telemetry-types.ts'

/**
 * One audit entry. `action` is dotted, feature first: `dataset.uploaded`, `dataset.deleted`, `api_key.created`,
 * `index.created`, `alert.fired`, `alert.resolved`. Matches `ActivityRecorder` in src/services.ts.
 */
export interface ActivityInput {
  /** Viewer id of whoever caused it; `system` for alerts and automatic indexing. */
  actor: string
  action: string
  /** What it was about: a dataset id, key id, index name, alert id. */
  subject: string
  detail?: Record<string, unknown>
}

export interface ActivityEntry extends Required<ActivityInput> {
  id: string
  occurredAt: Date
  instanceId: string
}

export interface ActivityFilter {
  /** Exact actions, or prefixes ending in `.` (`dataset.` matches every dataset action). */
  actions?: string[] | null
  actor?: string | null
  since?: Date | null
  first?: number | null
  after?: string | null
}

export interface ActivityLog {
  /** Never throws: callers record in passing, so a failed write is logged and resolves to null. */
  record(entry: ActivityInput): Promise<ActivityEntry | null>
  /** Newest first. Admin-only at the schema layer: entries name who did what. */
  list(filter?: ActivityFilter): Promise<Page<ActivityEntry>>
}

const toEntry = (r: Record<string, any>): ActivityEntry => ({
  id: String(r.id),
  occurredAt: new Date(r.occurred_at),
  actor: r.actor,
  action: r.action,
  subject: r.subject,
  detail: typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail,
  instanceId: r.instance_id,
})

export const activityCursor = (e: ActivityEntry) => encodeCursor([e.id])

export function createActivityLog(deps: { db: Kysely<any>; instanceId: string; clock: Clock; logger: Logger }): ActivityLog {
  const table = deps.db.withSchema('phers')
  return {
    async record({ actor, action, subject, detail = {} }) {
      try {
        const row = await table
          .insertInto('activity_log')
          .values({
            action, actor, subject, instance_id: deps.instanceId, occurred_at: new Date(deps.clock.now()),
            detail: sql`cast(${JSON.stringify(detail)} as jsonb)`,
          })
          .returningAll()
          .executeTakeFirstOrThrow()
        return toEntry(row)
      } catch (error) {
        deps.logger.error({ err: error, action, subject }, 'activity log: could not record entry')
        return null
      }
    },
    async list({ actions, actor, since, first, after } = {}) {
      const limit = clampFirst(first)
      let query = table.selectFrom('activity_log').selectAll().orderBy('id', 'desc').limit(limit + 1)
      if (actions?.length) {
        query = query.where((eb) =>
          eb.or(actions.map((a) => (a.endsWith('.') ? eb('action', 'like', `${a.replace(/[\\%_]/g, '\\$&')}%`) : eb('action', '=', a)))),
        )
      }
      if (actor) query = query.where('actor', '=', actor)
      if (since) query = query.where('occurred_at', '>=', since)
      if (after) query = query.where('id', '<', String(decodeCursor(after, 1)[0]))
      const rows = await query.execute()
      const nodes = rows.slice(0, limit).map(toEntry)
      const last = nodes[nodes.length - 1]
      return { nodes, pageInfo: { hasNextPage: rows.length > limit, endCursor: last ? activityCursor(last) : null } }
    },
  }
}
