import { createPubSub } from 'graphql-yoga'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTelemetry } from './telemetry.ts'
import { testBackends, type TestDb } from './telemetry-test-db.ts'
import type { AlertEvent } from './telemetry-types.ts'

const logger = pino({ level: 'silent' })
const stmt = (durationMs: number, fingerprint = 'fp-slow') => ({
  fingerprint, sql: 'select * from t where a = $1', durationMs, rows: 3, error: null, cacheLevel: null, datasets: ['ds1'],
})

describe.each(testBackends())('telemetry on $name', (backend) => {
  let t: TestDb
  beforeAll(async () => {
    t = await backend.open()
  })
  afterAll(async () => {
    await t?.stop()
  })

  const make = (clock: { now(): number }) => {
    const pubsub = createPubSub<{ alertEvents: [AlertEvent] }>()
    const telemetry = createTelemetry({
      db: t.db, pubsub, logger, clock, instanceId: 'test-a',
      rules: { latencyRegression: { windowMs: 10_000, forMs: 30_000 } },
      sources: { pgPool: () => ({ total: 10, idle: 8, waiting: 0 }), queueDepths: () => ({ sql: 2 }) },
      options: { sampleIntervalMs: 3_600_000, baselineIntervalMs: 10_000, prometheus: { defaultMetrics: false } },
    })
    return { telemetry, pubsub }
  }

  it('learns a baseline, fires on a slow statement after `for`, resolves when load stops, persists all', async () => {
    const clock = { t: Date.UTC(2026, 10, 27, 12), now() { return this.t } }
    const { telemetry, pubsub } = make(clock)
    await telemetry.start()
    const received: AlertEvent[] = []
    const iterator = pubsub.subscribe('alertEvents')[Symbol.asyncIterator]()
    const collecting = (async () => {
      for (let r = await iterator.next(); !r.done; r = await iterator.next()) received.push(r.value)
    })()

    for (let interval = 0; interval < 5; interval++) {
      for (let i = 0; i < 20; i++) telemetry.recordStatement(stmt(10))
      await telemetry.learnBaselines()
      clock.t += 10_000
    }
    expect(await telemetry.evaluate()).toEqual([])

    const slowRound = async () => {
      for (let i = 0; i < 20; i++) telemetry.recordStatement(stmt(100))
      return telemetry.evaluate()
    }
    expect(await slowRound()).toEqual([])
    clock.t += 15_000
    expect(await slowRound()).toEqual([])
    clock.t += 15_000
    const [fired] = await slowRound()
    expect(fired).toMatchObject({ kind: 'FIRED', alert: { rule: 'latency_regression', subjectKind: 'fingerprint', subject: 'fp-slow', instanceId: 'test-a' } })
    expect(fired!.alert.value).toBeGreaterThan(fired!.alert.threshold)
    clock.t += 5_000
    expect(await slowRound()).toEqual([]) // de-duplicated while still slow
    // Regression is not learned as the new normal while alerting.
    await telemetry.learnBaselines()

    clock.t += 11_000
    const [resolved] = await telemetry.evaluate()
    expect(resolved).toMatchObject({ kind: 'RESOLVED', alert: { id: fired!.alert.id } })

    await iterator.return?.()
    await collecting
    expect(received.map((e) => e.kind)).toEqual(['FIRED', 'RESOLVED'])
    await telemetry.stop()

    const history = await telemetry.alerts({ first: 5 })
    expect(history.nodes[0]).toMatchObject({ id: fired!.alert.id, rule: 'latency_regression' })
    expect(history.nodes[0]!.resolvedAt?.getTime()).toBe(clock.t)
    const log = await telemetry.activity.list({ actions: ['alert.'] })
    expect(log.nodes.map((e) => e.action)).toEqual(['alert.resolved', 'alert.fired'])

    // A restarted instance remembers the baseline: the same slowdown fires without a new warm-up.
    const restarted = make(clock)
    await restarted.telemetry.start()
    for (let i = 0; i < 20; i++) restarted.telemetry.recordStatement(stmt(100))
    await restarted.telemetry.evaluate()
    clock.t += 30_000
    for (let i = 0; i < 20; i++) restarted.telemetry.recordStatement(stmt(100))
    expect((await restarted.telemetry.evaluate()).map((e) => e.kind)).toEqual(['FIRED'])
    await restarted.telemetry.stop()
  })

  it('snapshots resources, top summaries, active alerts, bottlenecks with plans', async () => {
    const clock = { t: Date.UTC(2026, 10, 27, 13), now() { return this.t } }
    const { telemetry } = make(clock)
    telemetry.recordOperation({ name: 'Q', type: 'query', durationMs: 12, error: null })
    telemetry.recordOperation({ name: 'Q', type: 'query', durationMs: 14, error: 'SQL_ERROR' })
    for (let i = 0; i < 4; i++) telemetry.recordStatement({ ...stmt(50, 'heavy'), cacheLevel: i ? 'L1' : null })
    telemetry.recordStatement(stmt(5, 'light'))
    telemetry.recordPlan('heavy', {
      capturedAt: new Date(clock.t), totalCost: 1e6, executionMs: 48, seqScans: [{ table: 't', rows: 1e6 }], diskSorts: [], misestimates: [],
    })
    const snapshot = await telemetry.snapshot()
    expect(snapshot.instanceId).toBe('test-a')
    expect(snapshot.resources).toMatchObject({ pgPool: { total: 10, idle: 8, waiting: 0 }, queueDepths: { sql: 2 } })
    expect(snapshot.resources.heapUsedBytes).toBeGreaterThan(0)
    expect(snapshot.operations[0]).toMatchObject({ name: 'Q', type: 'query' })
    expect(snapshot.operations[0]!.windows.find((w) => w.window === '1m')).toMatchObject({ count: 2, errors: 1 })
    expect(snapshot.fingerprints.map((f) => f.fingerprint)).toEqual(['heavy', 'light'])
    expect(snapshot.fingerprints[0]!.windows[0]!.cacheHitRatio).toBeCloseTo(0.75)
    const [top] = telemetry.bottlenecks(1)
    expect(top).toMatchObject({ fingerprint: 'heavy', calls: 4, rows: 12, plan: { seqScans: [{ table: 't' }] } })
    await telemetry.stop()
  })

  it('takes plans of the top fingerprints as the viewer of their sample statement, once per max age', async () => {
    const clock = { t: Date.UTC(2026, 10, 27, 14), now() { return this.t } }
    const explained: { sql: string; viewerId: string; analyze: boolean }[] = []
    const telemetry = createTelemetry({
      db: t.db, pubsub: createPubSub(), logger, clock, instanceId: 'test-plans',
      options: { prometheus: { defaultMetrics: false }, plans: { top: 2, maxAgeMs: 60_000, largeTableRows: 1_000 } },
      explainPlan: async (request) => {
        explained.push(request)
        return [{ Plan: { 'Node Type': 'Seq Scan', 'Relation Name': 'orders', 'Total Cost': 900, 'Plan Rows': 40, 'Actual Rows': 40, 'Actual Loops': 1, 'Rows Removed by Filter': 5_000 }, 'Execution Time': 7.5 }]
      },
    })
    telemetry.recordStatement({ ...stmt(80, 'big'), sql: 'select * from orders where total > 10', viewerId: 'key-1' })
    telemetry.recordStatement({ ...stmt(90, 'big'), sql: 'select * from orders where total > 99', viewerId: 'key-2' })
    telemetry.recordStatement({ ...stmt(20, 'small'), viewerId: 'key-1' })
    telemetry.recordStatement({ ...stmt(1, 'tiny'), viewerId: 'key-1' })
    expect(telemetry.bottlenecks(1)[0]!.plan).toBeNull()
    expect(await telemetry.capturePlans()).toBe(1)
    // Reading `bottlenecks(1)` queued `big`; capturing adds the rest of the top 2 (`small`), never `tiny`.
    expect(explained).toEqual([
      { sql: 'select * from orders where total > 10', viewerId: 'key-1', analyze: true },
      { sql: 'select * from t where a = $1', viewerId: 'key-1', analyze: true },
    ])
    const [big] = telemetry.bottlenecks(2)
    expect(big!.plan).toEqual({
      capturedAt: new Date(clock.t), totalCost: 900, executionMs: 7.5, seqScans: [{ table: 'orders', rows: 5_040 }], diskSorts: [], misestimates: [],
    })
    expect(await telemetry.capturePlans()).toBe(0)
    clock.t += 60_000
    expect(await telemetry.capturePlans()).toBe(2)
    expect(explained).toHaveLength(4)
    await telemetry.stop()
  })
})
