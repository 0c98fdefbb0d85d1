import { createPubSub, createSchema, createYoga } from 'graphql-yoga'
import parsePrometheusTextFormat from 'parse-prometheus-text-format'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../errors.ts'
import { createTelemetry, type Telemetry } from './telemetry.ts'
import { testBackends, type TestDb } from './telemetry-test-db.ts'
import { useTelemetry } from './use-telemetry.ts'

const schema = createSchema({
  typeDefs: /* GraphQL */ `
    type Query { ok: Int!, fail: Int!, later: Int! }
    type Subscription { ticks: Int! }
  `,
  resolvers: {
    Query: { ok: () => 1, fail: () => { throw new AppError('SQL_ERROR', 'bad sql') }, later: async () => 2 },
    Subscription: {
      ticks: {
        async *subscribe() {
          for (let i = 0; i < 2; i++) yield { ticks: i }
        },
      },
    },
  },
})

describe('useTelemetry and /metrics', () => {
  let t: TestDb
  let telemetry: Telemetry
  beforeAll(async () => {
    t = await testBackends()[0]!.open()
    telemetry = createTelemetry({ db: t.db, pubsub: createPubSub(), logger: pino({ level: 'silent' }), instanceId: 'p1' })
  })
  afterAll(async () => {
    await telemetry?.stop()
    await t?.stop()
  })

  const post = (yoga: ReturnType<typeof createYoga>, query: string, operationName?: string) =>
    yoga.fetch('http://localhost/graphql', {
      method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, text/event-stream' },
      body: JSON.stringify({ query, operationName }),
    })

  it('measures operations by name and type, errors with their code, and subscription setup', async () => {
    const yoga = createYoga({ schema, plugins: [useTelemetry(telemetry)], logging: false })
    await (await post(yoga, 'query Good { ok }')).json()
    await (await post(yoga, 'query Good { ok }')).json()
    await (await post(yoga, 'query Bad { fail }')).json()
    await (await post(yoga, '{ ok }')).json()
    await (await post(yoga, 'query Later { later }')).json() // executes asynchronously
    const stream = await (await post(yoga, 'subscription Ticks { ticks }')).text()
    expect(stream).toContain('"ticks":1')

    const ops = (await telemetry.snapshot()).operations
    const one = (name: string) => ops.find((o) => o.name === name)!.windows[0]!
    expect(one('Good')).toMatchObject({ count: 2, errors: 0 })
    expect(one('Bad')).toMatchObject({ count: 1, errors: 1 })
    expect(one('anonymous').count).toBe(1)
    expect(one('Later')).toMatchObject({ count: 1, errors: 0 })
    expect(ops.find((o) => o.name === 'Ticks')).toMatchObject({ type: 'subscription' })
    expect(one('Ticks').count).toBe(1)
    expect((await telemetry.snapshot()).resources.inFlightOperations).toBe(0)
  })

  it('reads the in-flight gauge from the monitor\'s own count at scrape time', async () => {
    const inFlight = async () =>
      Number(parsePrometheusTextFormat(await telemetry.registry.metrics()).find((f) => f.name === 'phers_graphql_operations_in_flight')!.metrics[0]!.value)
    telemetry.adjustInFlight(2)
    expect(await inFlight()).toBe(2)
    telemetry.adjustInFlight(-2)
    expect(await inFlight()).toBe(0)
  })

  it('ends the in-flight count of an execution that throws or rejects, without recording a latency', async () => {
    let inFlight = 0
    const recorded: string[] = []
    const recorder: Parameters<typeof useTelemetry>[0] = {
      adjustInFlight: (delta) => void (inFlight += delta),
      adjustSubscriptions: () => undefined,
      recordOperation: (sample) => void recorded.push(sample.name),
    }
    const failures = [
      () => { throw new Error('engine down') },
      () => Promise.reject(new Error('engine down')),
    ]
    for (const failing of failures) {
      // Set before the telemetry plugin, as yoga's own engine is: the function it wraps.
      const engine = { onExecute: ({ setExecuteFn }: { setExecuteFn: (fn: typeof failing) => void }) => setExecuteFn(failing) }
      const yoga = createYoga({ schema, plugins: [engine, useTelemetry(recorder)], logging: false })
      const answer = (await (await post(yoga, 'query Broken { ok }')).json()) as { errors?: unknown[] }
      expect(answer.errors?.length).toBe(1)
    }
    expect(inFlight).toBe(0)
    expect(recorded).toEqual([])
  })

  it('exposes Prometheus text that a parser accepts, with the named series', async () => {
    telemetry.recordStatement({ fingerprint: 'abc', sql: 'select 1', durationMs: 3, rows: 1, error: null, cacheLevel: 'L2', datasets: [] })
    telemetry.recordStatement({ fingerprint: 'abc', sql: 'select 1', durationMs: 9, rows: 2, error: 'SQL_TIMEOUT', cacheLevel: null, datasets: [] })
    await telemetry.evaluate()
    const families = parsePrometheusTextFormat(await telemetry.registry.metrics())
    const family = (name: string) => families.find((f) => f.name === name)!
    // This parser folds a labelled histogram into one entry, so histogram labels are read from prom-client itself.
    expect(family('phers_graphql_operation_duration_seconds').type).toBe('HISTOGRAM')
    expect(family('phers_sql_duration_seconds').type).toBe('HISTOGRAM')
    const histogramLabels = async (name: string) =>
      (await telemetry.registry.getSingleMetric(name)!.get()).values.filter((v) => (v as { metricName?: string }).metricName === `${name}_count`).map((v) => v.labels)
    expect(await histogramLabels('phers_graphql_operation_duration_seconds')).toContainEqual({ operation: 'Good', type: 'query' })
    expect(await histogramLabels('phers_sql_duration_seconds')).toEqual(
      expect.arrayContaining([{ fingerprint: 'abc', cache: 'L2' }, { fingerprint: 'abc', cache: 'none' }]),
    )
    expect(family('phers_graphql_operation_errors_total').metrics[0]!.labels).toEqual({ operation: 'Bad', type: 'query', code: 'SQL_ERROR' })
    const cache = family('phers_cache_requests_total').metrics
    const count = (level: string, result: string) => Number(cache.find((m) => m.labels?.level === level && m.labels?.result === result)?.value)
    expect([count('L1', 'miss'), count('L2', 'hit'), count('L2', 'miss')]).toEqual([2, 1, 1])
    expect(family('phers_sql_rows_returned_total').metrics[0]!.value).toBe('3')
    expect(family('process_cpu_user_seconds_total').type).toBe('COUNTER')
    expect(family('nodejs_heap_size_used_bytes')).toBeDefined()
  })

  it('bounds fingerprint labels: beyond the cap they share `other`', async () => {
    const small = createTelemetry({
      db: t.db, pubsub: createPubSub(), logger: pino({ level: 'silent' }), instanceId: 'p2',
      options: { prometheus: { maxFingerprints: 2, defaultMetrics: false } },
    })
    for (const fp of ['a', 'b', 'c', 'd']) {
      small.recordStatement({ fingerprint: fp, sql: 'select', durationMs: fp === 'd' ? 500 : 1, rows: 0, error: null, cacheLevel: null, datasets: [] })
    }
    const labels = async () =>
      parsePrometheusTextFormat(await small.registry.metrics()).find((f) => f.name === 'phers_sql_rows_returned_total')!.metrics.map((m) => m.labels!.fingerprint).sort()
    expect(await labels()).toEqual(['a', 'b', 'other'])
    await small.learnBaselines() // re-ranks by total time: d is the heaviest, so it earns its own label
    small.recordStatement({ fingerprint: 'd', sql: 'select', durationMs: 1, rows: 0, error: null, cacheLevel: null, datasets: [] })
    const after = await labels()
    expect(after.includes('d')).toBe(true)
    expect(after.length).toBeLessThanOrEqual(3)
    // The fingerprint that lost its label now counts under `other`: no write goes to its removed series.
    const dropped = ['a', 'b'].find((fp) => !after.includes(fp))!
    const rowsOf = async (label: string) =>
      Number(parsePrometheusTextFormat(await small.registry.metrics()).find((f) => f.name === 'phers_sql_rows_returned_total')!
        .metrics.find((m) => m.labels!.fingerprint === label)?.value ?? 0)
    const otherRows = await rowsOf('other')
    small.recordStatement({ fingerprint: dropped, sql: 'select', durationMs: 1, rows: 5, error: null, cacheLevel: null, datasets: [] })
    expect(await labels()).toEqual(after)
    expect(await rowsOf('other')).toBe(otherRows + 5)
    await small.stop()
  })

  it('bounds operation labels the same way, and a re-rank moves a name out of `other` and back', async () => {
    const small = createTelemetry({
      db: t.db, pubsub: createPubSub(), logger: pino({ level: 'silent' }), instanceId: 'p3',
      options: { prometheus: { maxOperations: 1, defaultMetrics: false } },
    })
    const run = (name: string, durationMs: number) => small.recordOperation({ name, type: 'query', durationMs, error: null })
    const counts = async () => {
      const values = (await small.registry.getSingleMetric('phers_graphql_operation_duration_seconds')!.get()).values
      return Object.fromEntries(values.filter((v) => (v as { metricName?: string }).metricName?.endsWith('_count')).map((v) => [v.labels.operation, v.value]))
    }
    run('Light', 1)
    run('Heavy', 900)
    expect(await counts()).toEqual({ Light: 1, other: 1 })
    await small.learnBaselines() // Heavy has the most time: it takes the one label, Light's series goes
    run('Heavy', 1)
    run('Light', 1)
    expect(await counts()).toEqual({ other: 2, Heavy: 1 })
    await small.stop()
  })
})
