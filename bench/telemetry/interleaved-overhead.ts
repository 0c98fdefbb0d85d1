import { createPubSub, createSchema, createYoga } from 'graphql-yoga'
import { pino } from 'pino'
import { createTelemetry } from '../../src/features/telemetry/telemetry.ts'
import { testBackends } from '../../src/features/telemetry/telemetry-test-db.ts'
import { useTelemetry } from '../../src/features/telemetry/use-telemetry.ts'

/**
 * Plugin overhead on a shared, noisy machine: the same `{ __typename }` request through two in-process Yoga
 * instances (with and without `useTelemetry`), in many short alternating batches so load from other processes
 * hits both sides alike. Returns the median per-request time of each side.
 */
export async function interleavedOverhead(batches: number, perBatch: number): Promise<{ offUs: number; onUs: number; overhead: number }> {
  const db = await testBackends()[0]!.open()
  const telemetry = createTelemetry({ db: db.db, pubsub: createPubSub(), logger: pino({ level: 'silent' }), instanceId: 'bench' })
  await telemetry.start()
  const schema = createSchema({ typeDefs: 'type Query { ok: Int }' })
  const off = createYoga({ schema, logging: false })
  const on = createYoga({ schema, logging: false, plugins: [useTelemetry(telemetry)] })
  const body = JSON.stringify({ query: '{ __typename }' })
  const batch = async (yoga: typeof off) => {
    const started = performance.now()
    for (let i = 0; i < perBatch; i++) {
      const res = await yoga.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body })
      await res.text()
    }
    return ((performance.now() - started) * 1000) / perBatch
  }
  await batch(off)
  await batch(on)
  const times = { off: [] as number[], on: [] as number[] }
  for (let b = 0; b < batches; b++) {
    const order = b % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)
    for (const side of order) times[side].push(await batch(side === 'on' ? on : off))
  }
  await telemetry.stop()
  await db.stop()
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  const offUs = median(times.off)
  const onUs = median(times.on)
  return { offUs, onUs, overhead: onUs / offUs - 1 }
}
