import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { createClient } from 'graphql-ws'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { collect, waitFor } from './graphql-ws-collect.ts'

const INSTANCE_SCRIPT = fileURLToPath(new URL('./telemetry-test-instance.ts', import.meta.url))
const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0
const sharedRedisUrl = process.env.REDIS_URL
if (!hasRedisServer && !sharedRedisUrl && process.env.PHERS_REQUIRE_SERVICES === '1') {
  throw new Error('redis-server on PATH or REDIS_URL is required when PHERS_REQUIRE_SERVICES=1')
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Our own Redis when the binary is there, so other test runs' alert events cannot interfere; else REDIS_URL. */
async function startRedis(): Promise<{ url: string; process: ChildProcess | null }> {
  if (!hasRedisServer) return { url: sharedRedisUrl!, process: null }
  const port = await freePort()
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'pipe' })
  await new Promise<void>((resolve, reject) => {
    redis.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('Ready to accept') && resolve())
    redis.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)))
  })
  return { url: `redis://127.0.0.1:${port}`, process: redis }
}

async function startInstance(instanceId: string, redisUrl: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', INSTANCE_SCRIPT, JSON.stringify({ instanceId, redisUrl })], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout! })
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve)
    child.once('exit', (code) => reject(new Error(`${instanceId} exited with ${code}`)))
  })
  const { wsUrl } = JSON.parse(first) as { wsUrl: string }
  return {
    wsUrl,
    send: (line: string) => child.stdin!.write(`${line}\n`),
    stop: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve())
      child.stdin!.write('stop\n')
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref()
    }),
  }
}

describe.skipIf(!hasRedisServer && !sharedRedisUrl)('alerts across instances over Redis', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>
  let a: Awaited<ReturnType<typeof startInstance>>
  let b: Awaited<ReturnType<typeof startInstance>>
  beforeAll(async () => {
    redis = await startRedis()
    ;[a, b] = await Promise.all([startInstance('proc-a', redis.url), startInstance('proc-b', redis.url)])
  })
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()])
    redis?.process?.kill('SIGTERM')
  })

  it('a subscriber on instance B receives an alert raised on instance A', async () => {
    // Retries: on a loaded 2-core machine the connection_init handshake can exceed its timeout once.
    const client = createClient({ url: b.wsUrl, webSocketImpl: WebSocket, retryAttempts: 5, lazy: false })
    type Event = { alertEvents: { kind: string; alert: { rule: string; instanceId: string; severity: string; firedAt: string } } }
    const received = collect<Event>(client, 'subscription { alertEvents { kind alert { rule instanceId severity firedAt } } }', (items) => items.some((i) => i.alertEvents.alert.instanceId === 'proc-a'), 20_000)
    // Redis pub/sub does not replay: wait until B's subscription is registered before A publishes.
    const probe = new Redis(redis.url)
    await waitFor(async () => Number((await probe.pubsub('NUMSUB', 'alertEvents'))[1]) > 0, 15_000)
    // On a shared Redis other runs publish alertEvents too: only ours count.
    probe.disconnect()
    a.send('fail 10')
    const event = (await received).find((i) => i.alertEvents.alert.instanceId === 'proc-a')
    expect(event!.alertEvents).toMatchObject({ kind: 'FIRED', alert: { rule: 'error_rate', instanceId: 'proc-a', severity: 'CRITICAL' } })
    expect(Number.isNaN(Date.parse(event!.alertEvents.alert.firedAt))).toBe(false)
    await client.dispose()
  })
})
