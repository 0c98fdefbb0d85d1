import { createClient, type Client } from 'graphql-ws'
import { collect, waitFor } from './graphql-ws-collect.ts'
import parsePrometheusTextFormat from 'parse-prometheus-text-format'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startTelemetryTestServer, type TelemetryTestServer } from './telemetry-test-server.ts'

const slowStatement = (durationMs: number) => ({
  fingerprint: 'fp-injected', sql: 'select pg_sleep(0.2)', durationMs, rows: 1, error: null, cacheLevel: null, datasets: [],
})

describe('telemetry over graphql-ws', () => {
  let server: TelemetryTestServer
  let client: Client
  beforeAll(async () => {
    server = await startTelemetryTestServer({
      instanceId: 'ws-a',
      rules: { latencyRegression: { windowMs: 2_000, forMs: 1_000, minCount: 3 } },
      options: { sampleIntervalMs: 200, baselineIntervalMs: 500, baseline: { warmupSamples: 2 }, snapshotCacheMs: 50 },
    })
    client = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 })
  })
  afterAll(async () => {
    await client?.dispose()
    await server?.stop()
  })

  it('delivers snapshots at the requested interval', async () => {
    const started = Date.now()
    const items = await collect<{ performanceSnapshots: { instanceId: string; takenAt: string; resources: { heapUsedBytes: number; openSubscriptions: number } } }>(
      client,
      'subscription { performanceSnapshots(intervalMs: 300) { instanceId takenAt resources { heapUsedBytes openSubscriptions } } }',
      (items) => items.length >= 4,
    )
    const elapsed = Date.now() - started
    expect(elapsed).toBeGreaterThanOrEqual(4 * 300 - 100)
    expect(elapsed).toBeLessThan(4 * 300 + 1_500)
    const times = items.map((i) => new Date(i.performanceSnapshots.takenAt).getTime())
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(200)
    expect(items[0]!.performanceSnapshots).toMatchObject({ instanceId: 'ws-a', resources: { openSubscriptions: 1 } })
  })

  it('fires a latency alert for an injected slow statement and resolves it when the load stops', async () => {
    let durationMs = 2
    const load = setInterval(() => server.telemetry.recordStatement(slowStatement(durationMs)), 50)
    try {
      const events = collect<{ alertEvents: { kind: string; alert: { id: string; rule: string; subject: string; resolvedAt: string | null } } }>(
        client,
        'subscription { alertEvents(minSeverity: WARNING) { kind alert { id rule subject resolvedAt } } }',
        (items) => items.some((i) => i.alertEvents.kind === 'RESOLVED'),
        30_000,
      )
      await new Promise((r) => setTimeout(r, 1_500)) // baseline warms on fast statements
      durationMs = 200
      await waitFor(() => server.telemetry.activeAlerts().length > 0, 10_000)
      clearInterval(load)
      const received = await events
      expect(received.map((e) => e.alertEvents.kind)).toEqual(['FIRED', 'RESOLVED'])
      expect(received[0]!.alertEvents.alert).toMatchObject({ rule: 'latency_regression', subject: 'fp-injected', resolvedAt: null })
      expect(received[1]!.alertEvents.alert.id).toBe(received[0]!.alertEvents.alert.id)
    } finally {
      clearInterval(load)
    }

    const history = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ alerts(first: 5) { edges { node { rule resolvedAt } } } bottlenecks(first: 1) { fingerprint calls } }' }),
    }).then((r) => r.json())
    await waitFor(async () => {
      const h = await fetch(`${server.url}/graphql`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ alerts(first: 5, active: false) { edges { node { rule } } } }' }),
      }).then((r) => r.json())
      return h.data.alerts.edges.length === 1
    }, 5_000)
    expect(history.data.bottlenecks[0].fingerprint).toBe('fp-injected')
  })

  it('serves /metrics in Prometheus text format with the named series', async () => {
    const text = await fetch(`${server.url}/metrics`).then((r) => r.text())
    const names = parsePrometheusTextFormat(text).map((f) => f.name)
    expect(names).toEqual(expect.arrayContaining([
      'phers_graphql_operation_duration_seconds', 'phers_sql_duration_seconds', 'phers_cache_requests_total',
      'phers_alerts_active', 'process_cpu_user_seconds_total',
    ]))
  })
})
