import { sql, type Kysely } from 'kysely'
import { clampFirst, decodeCursor, encodeCursor, type Page } from './keyset-cursor.ts'
import type { Clock } from './telemetry-types.ts'

export const ACTIVITY_KINDS = ['UPLOAD', 'DELETION', 'KEY_CHANGE', 'INDEX_CHANGE', 'ALERT'] as const
export type ActivityKind = (typeof ACTIVITY_KINDS)[number]

export interface ActivityInput {
  kind: ActivityKind
  /** Viewer id of whoever caused it; null for the system (alerts, automatic indexing). */
  actorId: string | null
  /** What it was about: a dataset id, key id, index name, alert id. */
  subject: string
  details?: Record<string, unknown>
}

export interface ActivityEntry extends Required<ActivityInput> {
  id: string
  occurredAt: Date
  instanceId: string
}

export interface ActivityFilter {
  kinds?: ActivityKind[] | null
  actorId?: string | null
  since?: Date | null
  first?: number | null
  after?: string | null
}

export interface ActivityLog {
  record(entry: ActivityInput): Promise<ActivityEntry>
  /** Newest first. Admin-only at the schema layer: entries name who did what. */
  list(filter?: ActivityFilter): Promise<Page<ActivityEntry>>
}

const toEntry = (r: Record<string, any>): ActivityEntry => ({
  id: String(r.id),
  occurredAt: new Date(r.occurred_at),
  kind: r.kind,
  actorId: r.actor_id,
  subject: r.subject,
  details: typeof r.details === 'string' ? JSON.parse(r.details) : r.details,
  instanceId: r.instance_id,
})

export function createActivityLog({ db, instanceId, clock }: { db: Kysely<any>; instanceId: string; clock: Clock }): ActivityLog {
  const table = db.withSchema('phers')
  return {
    async record({ kind, actorId, subject, details = {} }) {
      const row = await table
        .insertInto('activity_log')
        .values({
          kind, actor_id: actorId, subject, instance_id: instanceId, occurred_at: new Date(clock.now()),
          details: sql`cast(${JSON.stringify(details)} as jsonb)`,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      return toEntry(row)
    },
    async list({ kinds, actorId, since, first, after } = {}) {
      const limit = clampFirst(first)
      let query = table.selectFrom('activity_log').selectAll().orderBy('id', 'desc').limit(limit + 1)
      if (kinds?.length) query = query.where('kind', 'in', kinds)
      if (actorId) query = query.where('actor_id', '=', actorId)
      if (since) query = query.where('occurred_at', '>=', since)
      if (after) query = query.where('id', '<', String(decodeCursor(after, 1)[0]))
      const rows = await query.execute()
      const nodes = rows.slice(0, limit).map(toEntry)
      const last = nodes[nodes.length - 1]
      return { nodes, pageInfo: { hasNextPage: rows.length > limit, endCursor: last ? encodeCursor([last.id]) : null } }
    },
  }
}
