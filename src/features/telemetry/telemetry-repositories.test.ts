import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createActivityLog } from './activity-log.ts'
import { createAlertRepository } from './alert-repository.ts'
import { createBaselineRepository } from './baseline-repository.ts'
import { testBackends, type TestDb } from './telemetry-test-db.ts'
import type { Alert } from './telemetry-types.ts'

const alert = (id: string, firedAt: number, resolvedAt: number | null = null): Alert => ({
  id, rule: 'latency_regression', severity: 'WARNING', subjectKind: 'fingerprint', subject: 'fp', message: 'slow',
  value: 40, threshold: 30, firedAt: new Date(firedAt), resolvedAt: resolvedAt ? new Date(resolvedAt) : null, instanceId: 'i1',
})

describe.each(testBackends())('telemetry persistence on $name', (backend) => {
  let t: TestDb
  beforeAll(async () => {
    t = await backend.open()
  })
  afterAll(async () => {
    await t?.stop()
  })

  it('upserts and reloads baselines', async () => {
    const repo = createBaselineRepository(t.db)
    await repo.save([['fingerprint:abc', { p95Ms: 12.5, ratePerSec: 3, samples: 4, updatedAt: 1_800_000_000_000 }]])
    await repo.save([
      ['fingerprint:abc', { p95Ms: 13, ratePerSec: 3.5, samples: 5, updatedAt: 1_800_000_060_000 }],
      ['operation:query Q', { p95Ms: 2, ratePerSec: 1, samples: 9, updatedAt: 1_800_000_060_000 }],
    ])
    const loaded = await repo.load()
    expect(loaded.get('fingerprint:abc')).toEqual({ p95Ms: 13, ratePerSec: 3.5, samples: 5, updatedAt: 1_800_000_060_000 })
    expect(loaded.get('operation:query Q')?.samples).toBe(9)
  })

  it('stores alert history, resolves by id and pages newest first', async () => {
    const repo = createAlertRepository(t.db)
    const base = 1_800_000_000_000
    for (let i = 0; i < 5; i++) await repo.save(alert(`a${i}`, base + i * 1000))
    await repo.save(alert('a1', base + 1000, base + 9000))

    const active = await repo.list({ active: true, first: 10 })
    expect(active.nodes.map((a) => a.id)).toEqual(['a4', 'a3', 'a2', 'a0'])
    const resolved = await repo.list({ active: false })
    expect(resolved.nodes[0]).toMatchObject({ id: 'a1', resolvedAt: new Date(base + 9000), value: 40 })

    const page1 = await repo.list({ first: 2 })
    expect(page1.nodes.map((a) => a.id)).toEqual(['a4', 'a3'])
    expect(page1.pageInfo.hasNextPage).toBe(true)
    const page2 = await repo.list({ first: 3, after: page1.pageInfo.endCursor })
    expect(page2.nodes.map((a) => a.id)).toEqual(['a2', 'a1', 'a0'])
    expect(page2.pageInfo.hasNextPage).toBe(false)

    expect(await repo.resolveOrphans('i1', new Date(base + 20_000))).toBe(4)
    expect((await repo.list({ active: true })).nodes).toEqual([])
  })

  it('rejects a malformed cursor with BAD_INPUT', async () => {
    await expect(createAlertRepository(t.db).list({ after: 'nope' })).rejects.toMatchObject({ code: 'BAD_INPUT' })
  })

  it('records and filters the activity log', async () => {
    let now = 1_800_000_000_000
    const logger = pino({ level: 'silent' })
    const log = createActivityLog({ db: t.db, instanceId: 'i1', clock: { now: () => (now += 1000) }, logger })
    await log.record({ action: 'dataset.uploaded', actor: 'k1', subject: 'ds1', detail: { rows: 10 } })
    await log.record({ action: 'index.created', actor: 'system', subject: 'idx_a', detail: { table: 't' } })
    await log.record({ action: 'dataset.deleted', actor: 'k1', subject: 'ds1' })
    await log.record({ action: 'dataset_x.odd', actor: 'k2', subject: 'x' })

    const all = await log.list()
    expect(all.nodes.map((e) => e.action)).toEqual(['dataset_x.odd', 'dataset.deleted', 'index.created', 'dataset.uploaded'])
    expect(all.nodes[3]).toMatchObject({ actor: 'k1', subject: 'ds1', detail: { rows: 10 }, instanceId: 'i1' })

    expect((await log.list({ actor: 'k1' })).nodes).toHaveLength(2)
    expect((await log.list({ actions: ['dataset.'] })).nodes.map((e) => e.action)).toEqual(['dataset.deleted', 'dataset.uploaded'])
    expect((await log.list({ actions: ['index.created'] })).nodes[0]!.detail).toEqual({ table: 't' })
    const first = await log.list({ first: 1 })
    const rest = await log.list({ after: first.pageInfo.endCursor })
    expect(rest.nodes).toHaveLength(3)
  })

  it('logs instead of throwing when an entry cannot be written', async () => {
    const errors: unknown[] = []
    const logger = pino({ level: 'error' }, { write: (line: string) => void errors.push(line) })
    const log = createActivityLog({ db: t.db.withSchema('nowhere') as typeof t.db, instanceId: 'i1', clock: { now: () => Number.NaN }, logger })
    expect(await log.record({ action: 'dataset.uploaded', actor: 'k1', subject: 'ds1' })).toBeNull()
    expect(errors).toHaveLength(1)
  })
})
