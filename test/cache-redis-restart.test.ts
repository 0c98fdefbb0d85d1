import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../src/features/telemetry/graphql-ws-collect.ts'
import { freePort } from '../src/features/telemetry/serve-process.ts'
import { backends, testEnv } from './support/backends.ts'
import { startTestApp, type TestApp } from './support/test-app.ts'

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0
if (!hasRedisServer && testEnv.requireServices) throw new Error('PHERS_REQUIRE_SERVICES=1 needs redis-server on PATH')

/** A private Redis this test may kill: the shared one serves other suites. */
async function startRedis(port: number): Promise<ChildProcess> {
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'pipe' })
  await new Promise<void>((resolve, reject) => {
    redis.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('Ready to accept') && resolve())
    redis.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)))
  })
  return redis
}

async function kill(redis: ChildProcess): Promise<void> {
  if (redis.exitCode !== null || redis.signalCode !== null) return
  const exited = new Promise((resolve) => redis.once('exit', resolve))
  redis.kill('SIGKILL')
  await exited
}

const ROWS = 300
const salesCsv = () => `id,amount\n${Array.from({ length: ROWS }, (_, i) => `${i + 1},${(i + 1) * 10}`).join('\n')}\n`
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.skipIf(!hasRedisServer).each(backends())('Redis killed and restarted under traffic on $name', (backend) => {
  const prefix = `phers-t-restart-${randomBytes(4).toString('hex')}`
  let port: number
  let redis: ChildProcess
  let t: TestApp
  beforeAll(async () => {
    port = await freePort()
    redis = await startRedis(port)
    t = await startTestApp(backend, { REDIS_URL: `redis://127.0.0.1:${port}`, PHERS_CACHE_PREFIX: prefix })
    expect((await t.upload(salesCsv(), { name: 'sales' })).errors).toBeUndefined()
  })
  afterAll(async () => {
    await t?.stop()
    if (redis) await kill(redis)
  })

  it('answers every request correctly while L2 is gone, and uses L2 again once it is back', async () => {
    let traffic = true
    let requests = 0
    const failures: unknown[] = []
    // Repeated statements (hits) and new ones (misses that try to fill L2), each with a known answer.
    const client = async (id: number) => {
      for (let i = 0; traffic; i += 1) {
        const n = i % 2 === 0 ? i % 10 : 10 + ((id * 7919 + i) % (ROWS - 10))
        const response = await t.gql<{ sql: { rows: [string][] } }>('query ($q: String!) { sql(query: $q) { rows } }', {
          q: `SELECT count(*) FROM sales WHERE id > ${n}`,
        })
        requests += 1
        if (response.errors || response.data?.sql.rows[0]?.[0] !== String(ROWS - n)) failures.push(response.errors ?? response.data)
      }
    }
    const clients = [client(1), client(2), client(3)]
    const l2Keys = async () => {
      const probe = new Redis(`redis://127.0.0.1:${port}`, { lazyConnect: true, maxRetriesPerRequest: 0 })
      try {
        await probe.connect()
        return (await probe.keys(`${prefix}:cache:v:*`)).length
      } finally {
        probe.disconnect()
      }
    }
    try {
      await waitFor(async () => (await l2Keys()) > 0, 10_000)
      await kill(redis)
      const atKill = requests
      await sleep(1_500)
      expect(requests).toBeGreaterThan(atKill)
      // Same port: the app's clients reconnect on their own. The new Redis starts empty, so any value key
      // found there was written after the restart.
      redis = await startRedis(port)
      await waitFor(async () => (await l2Keys()) > 0, 15_000)
      const stats = await t.gql('{ cacheStats { l2 { enabled breaker errors } } }')
      expect(stats.data.cacheStats.l2.breaker).not.toBe('open')
      expect(stats.data.cacheStats.l2.errors).toBeGreaterThan(0)
    } finally {
      traffic = false
      await Promise.all(clients)
    }
    expect(failures).toEqual([])
    expect(requests).toBeGreaterThan(50)
  })
})
