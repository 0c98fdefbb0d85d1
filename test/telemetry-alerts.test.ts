import { createClient, type Client } from 'graphql-ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { collect, waitFor } from '../src/features/telemetry/graphql-ws-collect.ts'
import { backends } from './support/backends.ts'
import { startTestApp, type TestApp } from './support/test-app.ts'

const ROWS = 20_000
const generatedCsv = () => ['id,n,label', ...Array.from({ length: ROWS }, (_, i) => `${i},${(i * 7919) % ROWS},row ${i}`)].join('\n')

type AlertEventPayload = { alertEvents: { kind: 'FIRED' | 'RESOLVED'; alert: { id: string; rule: string; subjectKind: string; subject: string; resolvedAt: string | null } } }

describe.each(backends())('latency alerts and bottleneck plans of the real app on $name', (backend) => {
  let t: TestApp
  let client: Client
  let table: string
  beforeAll(async () => {
    t = await startTestApp(backend, {
      // Seconds instead of minutes, so the whole cycle (warm baseline → slow → fire → resolve) takes ~10 s.
      PHERS_TELEMETRY_SAMPLE_MS: '200',
      PHERS_TELEMETRY_BASELINE_MS: '2000',
      PHERS_TELEMETRY_BASELINE_WARMUP: '2',
      // factor 2: a loaded machine makes fast runs noisy too, and the slow ones are ~100× the work.
      PHERS_ALERT_RULES: JSON.stringify({ latencyRegression: { windowMs: 3_000, forMs: 1_000, minCount: 3, factor: 2, resolveFactor: 1.5 } }),
    })
    const uploaded = await t.upload(generatedCsv(), { name: 'load_rows', fileName: 'load_rows.csv' })
    expect(uploaded.errors).toBeUndefined()
    table = uploaded.data!.uploadDataset.tableName
    client = createClient({ url: `${t.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 3 })
  })
  afterAll(async () => {
    await client?.dispose()
    await t?.stop()
  })

  /**
   * One statement shape (so one fingerprint) whose cost grows with `factor`: every row is compared against
   * `factor` generated numbers. A distinct constant per call keeps the result cache out of the measurement.
   */
  let call = 0
  const runLoad = async (factor: number) => {
    call += 1
    const query = `SELECT count(*) AS hits FROM ${table}, generate_series(1, ${factor}) AS g WHERE ${table}.n + g = ${1_000_000 + call}`
    const result = await t.gql('query LoadProbe($q: String!) { sql(query: $q) { rows } }', { q: query })
    expect(result.errors).toBeUndefined()
  }
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

  it('fires a latency alert for a statement made slow on purpose and resolves it once the load stops', async () => {
    const fingerprintAlert = (e: AlertEventPayload) => e.alertEvents.alert.rule === 'latency_regression' && e.alertEvents.alert.subjectKind === 'FINGERPRINT'
    const events = collect<AlertEventPayload>(
      client,
      'subscription { alertEvents(minSeverity: WARNING) { kind alert { id rule subjectKind subject resolvedAt } } }',
      (items) => items.some((e) => fingerprintAlert(e) && e.alertEvents.kind === 'RESOLVED'),
      45_000,
    )
    // Awaited below; this only keeps a timeout from surfacing as unhandled while a failed expectation ends the test.
    events.catch(() => undefined)
    // Let the subscription register before anything can fire.
    await waitFor(async () => (await t.gql('{ performance { resources { openSubscriptions } } }')).data.performance.resources.openSubscriptions >= 1, 5_000)
    // Cold start (catalog caches, first reads of the table) under another fingerprint, so the probe's baseline
    // learns only warm, fast runs.
    for (let i = 0; i < 5; i++) expect((await t.gql(`{ sql(query: "SELECT count(*) FROM ${table} WHERE n > ${i}") { rows } }`)).errors).toBeUndefined()
    // ~10 fast runs a second for two baseline periods. Paced, so that a few slow runs are enough to lift the
    // window's p95: the alert then engages (which freezes the baseline) before a baseline round can absorb them.
    const fastUntil = Date.now() + 4_500
    while (Date.now() < fastUntil) {
      await runLoad(1)
      await pause(100)
    }
    const fingerprintFiring = async () => {
      const { data } = await t.gql('{ performance { alerts { rule subjectKind } } }')
      return data.performance.alerts.some((a: { rule: string; subjectKind: string }) => a.rule === 'latency_regression' && a.subjectKind === 'FINGERPRINT')
    }
    const slowUntil = Date.now() + 25_000
    let fired = false
    while (!fired && Date.now() < slowUntil) {
      await runLoad(200)
      fired = await fingerprintFiring()
    }
    const seen = async () => JSON.stringify((await t.gql('{ bottlenecks(first: 3) { sql calls meanMs p95Ms } }')).data)
    expect(fired, fired ? '' : await seen()).toBe(true)
    const received = (await events).filter(fingerprintAlert)
    expect(received.map((e) => e.alertEvents.kind)).toEqual(['FIRED', 'RESOLVED'])
    const [firing, resolved] = received.map((e) => e.alertEvents.alert)
    expect(firing).toMatchObject({ rule: 'latency_regression', resolvedAt: null })
    expect(resolved!.id).toBe(firing!.id)
    expect(resolved!.resolvedAt).not.toBeNull()

    const history = async () => (await t.gql('{ alerts(first: 10) { edges { node { id rule subject resolvedAt } } } }')).data.alerts.edges.map((e: any) => e.node)
    await waitFor(async () => (await history()).some((a: any) => a.id === firing!.id && a.resolvedAt !== null), 5_000)
  })

  it('carries the latest plan summary of the slow statement in bottlenecks', async () => {
    const query = '{ bottlenecks(first: 3) { fingerprint sql calls plan { capturedAt totalCost executionMs seqScans { table rows } diskSorts { node } misestimates { node } } } }'
    type Row = { fingerprint: string; sql: string; calls: number; plan: { totalCost: number; executionMs: number | null; seqScans: { table: string; rows: number }[] } | null }
    let top: Row | undefined
    // The first read starts the capture in the background; a later read carries its result.
    await waitFor(async () => {
      const rows = (await t.gql(query)).data.bottlenecks as Row[]
      top = rows.find((r) => r.sql.includes('generate_series'))
      return Boolean(top?.plan)
    }, 20_000)
    expect(top!.calls).toBeGreaterThan(5)
    expect(top!.plan!.totalCost).toBeGreaterThan(0)
    expect(top!.plan!.seqScans).toContainEqual({ table, rows: expect.any(Number) })
    expect(top!.plan!.seqScans.find((s) => s.table === table)!.rows).toBeGreaterThanOrEqual(ROWS)
  })
})
