import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createClient } from 'graphql-ws'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { collect, waitFor } from '../src/features/telemetry/graphql-ws-collect.ts'
import { freePort, startServeProcess, type ServeProcess } from '../src/features/telemetry/serve-process.ts'
import { backends, testEnv } from './support/backends.ts'

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0
if (!hasRedisServer && !testEnv.redisUrl && testEnv.requireServices) {
  throw new Error('PHERS_REQUIRE_SERVICES=1 needs redis-server on PATH or REDIS_URL')
}

/** A private Redis when the binary is there, so other runs' alert events cannot interfere; else REDIS_URL. */
async function startRedis(): Promise<{ url: string; process: ChildProcess | null }> {
  if (!hasRedisServer) return { url: testEnv.redisUrl!, process: null }
  const port = await freePort()
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'pipe' })
  await new Promise<void>((resolve, reject) => {
    redis.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('Ready to accept') && resolve())
    redis.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)))
  })
  return { url: `redis://127.0.0.1:${port}`, process: redis }
}

type AlertEventPayload = { alertEvents: { kind: string; alert: { rule: string; instanceId: string; severity: string; firedAt: string } } }

describe.skipIf(!hasRedisServer && !testEnv.redisUrl)('alerts across two server processes sharing one Redis', () => {
  // The last backend: real PostgreSQL shared by both instances when DATABASE_URL is set, else PGlite each.
  const backend = backends().at(-1)!
  const run = randomBytes(4).toString('hex')
  let redis: Awaited<ReturnType<typeof startRedis>>
  let dropDatabase: () => Promise<void> = async () => {}
  let a: ServeProcess
  let b: ServeProcess
  beforeAll(async () => {
    redis = await startRedis()
    const { database, drop } = await backend.createDatabase()
    dropDatabase = drop
    const env = (instanceId: string) => ({
      REDIS_URL: redis.url,
      PHERS_INSTANCE_ID: instanceId,
      PHERS_CACHE_PREFIX: `phers-t-${run}`,
      PHERS_TELEMETRY_SAMPLE_MS: '200',
      PHERS_ALERT_RULES: JSON.stringify({ errorRate: { forMs: 0, minCount: 3, windowMs: 5_000 } }),
      ...(database.kind === 'postgres' ? { DATABASE_URL: database.url } : { PHERS_DATA_DIR: ':memory:' }),
    })
    // One after the other: both migrate the same database when it is shared.
    a = await startServeProcess(env(`proc-a-${run}`))
    b = await startServeProcess(env(`proc-b-${run}`))
  })
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()])
    redis?.process?.kill('SIGTERM')
    await dropDatabase()
  })

  it('a subscriber on instance B receives an alert raised on instance A', async () => {
    const client = createClient({ url: b.wsUrl, webSocketImpl: WebSocket, retryAttempts: 3, lazy: false })
    const fromA = (e: AlertEventPayload) => e.alertEvents.alert.instanceId === `proc-a-${run}`
    const received = collect<AlertEventPayload>(client, 'subscription { alertEvents { kind alert { rule instanceId severity firedAt } } }', (items) => items.some(fromA), 30_000)
    received.catch(() => undefined)
    // Redis pub/sub does not replay: wait until B's subscription reached Redis before A raises anything.
    const probe = new Redis(redis.url)
    try {
      await waitFor(async () => Number((await probe.pubsub('NUMSUB', 'alertEvents'))[1]) > 0, 15_000)
    } finally {
      probe.disconnect()
    }
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${a.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ sql(query: "SELECT ${i} / 0 AS boom") { rows } }` }),
      }).then((r) => r.json() as Promise<{ errors?: { extensions: { code: string } }[] }>)
      expect(response.errors?.[0]?.extensions.code).toBe('SQL_ERROR')
    }
    const event = (await received).find(fromA)!
    expect(event.alertEvents).toMatchObject({ kind: 'FIRED', alert: { rule: 'error_rate', severity: 'CRITICAL', instanceId: `proc-a-${run}` } })
    expect(Number.isNaN(Date.parse(event.alertEvents.alert.firedAt))).toBe(false)
    await client.dispose()
  })
})
