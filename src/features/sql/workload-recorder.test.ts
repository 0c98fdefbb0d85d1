import { sql } from 'kysely'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase, type Database } from '../../infra/database.ts'
import { migrateToLatest } from '../../infra/migrate.ts'
import { createWorkloadRecorder, type WorkloadSample } from './workload-recorder.ts'

const logger = pino({ level: 'silent' })
const sample = (over: Partial<WorkloadSample> = {}): WorkloadSample => ({
  fingerprint: 'f1', scope: 'alice', sql: 'SELECT 1', params: [], datasetIds: ['d1'], durationMs: 10, rows: 3, errorCode: null, ...over,
})

describe('workload recorder', () => {
  let database: Database
  beforeAll(async () => {
    database = await createDatabase({ config: { kind: 'pglite', dataDir: null }, logger })
    await migrateToLatest(database.db)
  })
  afterAll(async () => {
    await database.stop()
  })

  it('aggregates per fingerprint and scope and adds to the table on every flush', async () => {
    const recorder = createWorkloadRecorder({ db: database.db, logger, flushIntervalMs: 60_000 })
    recorder.record(sample())
    recorder.record(sample({ durationMs: 30, rows: 1, sql: 'SELECT 2', params: [5] }))
    recorder.record(sample({ scope: 'bob', datasetIds: ['d2'] }))
    await recorder.flush()
    recorder.record(sample({ errorCode: 'SQL_TIMEOUT', rows: 0 }))
    await recorder.stop()
    const reader = createWorkloadRecorder({ db: database.db, logger })
    const [entry] = await reader.top({ datasetId: 'd1' })
    expect(entry).toMatchObject({ fingerprint: 'f1', scope: 'alice', calls: 3, errors: 1, rows: 4, maxMs: 30, totalMs: 50, lastError: 'SQL_TIMEOUT', sampleSql: 'SELECT 1', datasetIds: ['d1'] })
    const all = await reader.top()
    expect(all.map((e) => [e.scope, e.calls])).toEqual([['alice', 3], ['bob', 1]])
    await reader.stop()
  })

  it('keeps counters when a flush fails and writes them with the next one', async () => {
    const recorder = createWorkloadRecorder({ db: database.db, logger, flushIntervalMs: 60_000 })
    const seen = async () => (await recorder.top({ limit: 100 })).find((e) => e.fingerprint === 'f9')
    await sql`ALTER TABLE phers.workload RENAME TO workload_away`.execute(database.db)
    recorder.record(sample({ fingerprint: 'f9' }))
    await recorder.flush()
    await sql`ALTER TABLE phers.workload_away RENAME TO workload`.execute(database.db)
    recorder.record(sample({ fingerprint: 'f9', rows: 7 }))
    expect(await seen()).toMatchObject({ calls: 2, rows: 10 })
    await recorder.stop()
  })
})
