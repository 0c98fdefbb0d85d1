import type { Kysely } from 'kysely'
import type { Baseline } from './ewma-baseline.ts'

/** Baselines are keyed `<kind>:<subject>` in memory and split into two columns in the table. */
export interface BaselineRepository {
  load(): Promise<Map<string, Baseline>>
  save(entries: Iterable<[string, Baseline]>): Promise<void>
}

const splitKey = (key: string): [string, string] => {
  const at = key.indexOf(':')
  return [key.slice(0, at), key.slice(at + 1)]
}

export function createBaselineRepository(db: Kysely<any>): BaselineRepository {
  const table = db.withSchema('phers')
  return {
    async load() {
      const rows = await table.selectFrom('telemetry_baselines').selectAll().execute()
      return new Map(
        rows.map((r) => [
          `${r.subject_kind}:${r.subject}`,
          { p95Ms: Number(r.p95_ms), ratePerSec: Number(r.rate_per_sec), samples: Number(r.samples), updatedAt: new Date(r.updated_at).getTime() },
        ]),
      )
    },
    async save(entries) {
      const values = [...entries].map(([key, b]) => {
        const [subject_kind, subject] = splitKey(key)
        return { subject_kind, subject, p95_ms: b.p95Ms, rate_per_sec: b.ratePerSec, samples: b.samples, updated_at: new Date(b.updatedAt) }
      })
      if (values.length === 0) return
      await table
        .insertInto('telemetry_baselines')
        .values(values)
        .onConflict((oc) =>
          oc.columns(['subject_kind', 'subject']).doUpdateSet((eb) => ({
            p95_ms: eb.ref('excluded.p95_ms'),
            rate_per_sec: eb.ref('excluded.rate_per_sec'),
            samples: eb.ref('excluded.samples'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute()
    },
  }
}
