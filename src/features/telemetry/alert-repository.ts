import type { Kysely } from 'kysely'
import { clampFirst, decodeCursor, encodeCursor, type Page } from './keyset-cursor.ts'
import type { Alert, Severity, SubjectKind } from './telemetry-types.ts'

export interface AlertQuery {
  active?: boolean | null
  first?: number | null
  after?: string | null
}

export interface AlertRepository {
  /** Inserts a fired alert or records its resolution (same id). */
  save(alert: Alert): Promise<void>
  list(query: AlertQuery): Promise<Page<Alert>>
  /** Closes alerts an earlier run of this instance left open: nobody will resolve them otherwise. */
  resolveOrphans(instanceId: string, at: Date): Promise<number>
}

interface AlertRow {
  id: string
  rule: string
  severity: string
  subject_kind: string
  subject: string
  message: string
  value: number
  threshold: number
  fired_at: Date
  resolved_at: Date | null
  instance_id: string
}

const toAlert = (r: AlertRow): Alert => ({
  id: r.id,
  rule: r.rule,
  severity: r.severity as Severity,
  subjectKind: r.subject_kind as SubjectKind,
  subject: r.subject,
  message: r.message,
  value: Number(r.value),
  threshold: Number(r.threshold),
  firedAt: new Date(r.fired_at),
  resolvedAt: r.resolved_at ? new Date(r.resolved_at) : null,
  instanceId: r.instance_id,
})

/** Keyset position of an alert in the newest-first history. */
export const alertCursor = (a: Alert) => encodeCursor([new Date(a.firedAt).toISOString(), a.id])

export function createAlertRepository(db: Kysely<any>): AlertRepository {
  const table = db.withSchema('phers')
  return {
    async save(a) {
      const row = {
        id: a.id, rule: a.rule, severity: a.severity, subject_kind: a.subjectKind, subject: a.subject,
        message: a.message, value: a.value, threshold: a.threshold, fired_at: a.firedAt, resolved_at: a.resolvedAt,
        instance_id: a.instanceId,
      }
      await table
        .insertInto('telemetry_alerts')
        .values(row)
        .onConflict((oc) => oc.column('id').doUpdateSet({ resolved_at: a.resolvedAt, value: a.value }))
        .execute()
    },
    async list({ active, first, after }) {
      const limit = clampFirst(first)
      let query = table.selectFrom('telemetry_alerts').selectAll().orderBy('fired_at', 'desc').orderBy('id', 'desc').limit(limit + 1)
      if (active === true) query = query.where('resolved_at', 'is', null)
      if (active === false) query = query.where('resolved_at', 'is not', null)
      if (after) {
        const [firedAt, id] = decodeCursor(after, 2)
        query = query.where((eb) => eb(eb.refTuple('fired_at', 'id'), '<', eb.tuple(new Date(firedAt!), String(id))))
      }
      const rows = (await query.execute()) as AlertRow[]
      const nodes = rows.slice(0, limit).map(toAlert)
      const last = nodes[nodes.length - 1]
      return {
        nodes,
        pageInfo: { hasNextPage: rows.length > limit, endCursor: last ? alertCursor(last) : null },
      }
    },
    async resolveOrphans(instanceId, at) {
      const result = await table
        .updateTable('telemetry_alerts')
        .set({ resolved_at: at })
        .where('instance_id', '=', instanceId)
        .where('resolved_at', 'is', null)
        .executeTakeFirst()
      return Number(result.numUpdatedRows)
    },
  }
}
