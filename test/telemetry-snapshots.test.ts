import { createClient, type Client } from 'graphql-ws'
import parsePrometheusTextFormat from 'parse-prometheus-text-format'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { collect } from '../src/features/telemetry/graphql-ws-collect.ts'
import { backends } from './support/backends.ts'
import { startTestApp, type TestApp } from './support/test-app.ts'

type Snapshot = { performanceSnapshots: { instanceId: string; takenAt: string; resources: { heapUsedBytes: number; openSubscriptions: number } } }

const scrape = async (url: string) => {
  const response = await fetch(`${url}/metrics`)
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/)
  const text = await response.text()
  return { text, families: parsePrometheusTextFormat(text) }
}

describe.each(backends())('telemetry of the real app on $name', (backend) => {
  let t: TestApp
  let client: Client
  beforeAll(async () => {
    t = await startTestApp(backend, { PHERS_INSTANCE_ID: `snap-${backend.name}`, PHERS_TELEMETRY_SAMPLE_MS: '200' })
    client = createClient({ url: `${t.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 3 })
  })
  afterAll(async () => {
    await client?.dispose()
    await t?.stop()
  })

  it('delivers snapshots over graphql-ws at the requested interval', async () => {
    const started = Date.now()
    const items = await collect<Snapshot>(
      client,
      'subscription { performanceSnapshots(intervalMs: 300) { instanceId takenAt resources { heapUsedBytes openSubscriptions } } }',
      (got) => got.length >= 5,
    )
    const elapsed = Date.now() - started
    // Five snapshots 300 ms apart: the first comes after one interval, so at least ~1.5 s.
    expect(elapsed).toBeGreaterThanOrEqual(5 * 300 - 100)
    expect(elapsed).toBeLessThan(5 * 300 + 2_500)
    const times = items.map((i) => Date.parse(i.performanceSnapshots.takenAt))
    const gaps = times.slice(1).map((time, i) => time - times[i]!)
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(200)
    expect(gaps.reduce((a, b) => a + b, 0) / gaps.length).toBeLessThan(600)
    expect(items[0]!.performanceSnapshots).toMatchObject({ instanceId: `snap-${backend.name}`, resources: { openSubscriptions: 1 } })
    expect(items[0]!.performanceSnapshots.resources.heapUsedBytes).toBeGreaterThan(0)
  })

  it('serves /metrics in Prometheus text format with the operation and SQL series of real requests', async () => {
    const answer = await t.gql('query MetricsProbe { sql(query: "SELECT 41 + 1 AS answer") { rows } }')
    expect(answer.data.sql.rows).toEqual([[42]])
    const { text, families } = await scrape(t.url)
    const byName = new Map(families.map((f) => [f.name, f]))
    for (const name of [
      'phers_graphql_operation_duration_seconds', 'phers_graphql_operations_in_flight', 'phers_sql_duration_seconds',
      'phers_sql_rows_returned_total', 'phers_cache_requests_total', 'phers_event_loop_delay_p99_seconds',
      'phers_subscriptions_open', 'phers_alerts_active', 'process_cpu_user_seconds_total',
    ]) expect(byName.has(name), name).toBe(true)
    expect(byName.get('phers_graphql_operation_duration_seconds')!.type).toBe('HISTOGRAM')
    expect(byName.get('phers_sql_rows_returned_total')!.metrics.some((m) => Number(m.value) >= 1 && m.labels?.fingerprint)).toBe(true)
    // The parser folds a histogram's labelled children into one (a port of an old client_python parser), so the
    // per-operation child is checked on the text it has just validated.
    expect(text).toMatch(/^phers_graphql_operation_duration_seconds_count\{operation="MetricsProbe",type="query"\} 1$/m)
  })
})

describe('PHERS_TELEMETRY=0', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp(backends()[0]!, { PHERS_TELEMETRY: '0' })
  })
  afterAll(async () => t?.stop())

  it('records neither operations nor statements nor loop and GC figures, while snapshots and /metrics still answer', async () => {
    expect((await t.gql('query Unrecorded { sql(query: "SELECT 1 AS one") { rows } }')).data.sql.rows).toEqual([[1]])
    const { data } = await t.gql('{ performance { operations { name } fingerprints { fingerprint } resources { heapUsedBytes eventLoopDelayMaxMs gcCount } } }')
    expect(data.performance.operations).toEqual([])
    expect(data.performance.fingerprints).toEqual([])
    expect(data.performance.resources.heapUsedBytes).toBeGreaterThan(0)
    // No event-loop timer and no GC observer were opened: start-up alone ran many collections.
    expect(data.performance.resources).toMatchObject({ eventLoopDelayMaxMs: 0, gcCount: 0 })
    const { text, families } = await scrape(t.url)
    expect(families.some((f) => f.name === 'phers_graphql_operation_duration_seconds')).toBe(true)
    expect(text).not.toMatch(/^phers_graphql_operation_duration_seconds_count/m)
  })
})
