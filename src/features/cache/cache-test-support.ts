import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import { pino } from 'pino'
import type { CacheLoad, SqlResult } from '../sql/sql-types.ts'
import type { CacheKeyInput } from './cache-key.ts'

/** Helpers shared by the cache tests (not imported by application code). */
export const silentLogger = pino({ level: 'silent' })

export function makeResult(rows: unknown[][], datasets: { id: string; version: number }[] = []): SqlResult {
  return {
    columns: [{ name: 'value', type: 'text' }],
    rows,
    rowCount: rows.length,
    durationMs: 12,
    pageInfo: { hasNextPage: false, endCursor: null },
    fingerprint: 'fp',
    datasets: datasets.map((d) => ({ ...d, tableName: `t_${d.id}` })),
    cached: false,
    cacheLevel: null,
  }
}

export function makeKey(overrides: Partial<CacheKeyInput> = {}): CacheKeyInput {
  return {
    fingerprint: 'fp',
    constants: [],
    params: [],
    page: { first: 100, after: null },
    datasets: [{ id: 'ds1', version: 1 }],
    scope: 'owner-1',
    ...overrides,
  }
}

export const loaded = (result: SqlResult, cacheable = true): CacheLoad => ({ result, cacheable })

/** The Redis the cache tests use: REDIS_URL, else the local default; null means "skip" unless services are required. */
export async function sharedRedisUrl(): Promise<string | null> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false })
  probe.on('error', () => undefined)
  try {
    await probe.connect()
    await probe.ping()
    return url
  } catch (error) {
    if (process.env.PHERS_REQUIRE_SERVICES === '1') throw error
    return null
  } finally {
    probe.disconnect()
  }
}

/** Clients configured as the app should: no offline queue, so an outage fails commands at once. */
export function connectClients(url: string): { redis: Redis; subscriber: Redis; close(): void } {
  const options = { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => 50 }
  const redis = new Redis(url, options)
  // The subscriber must queue its SUBSCRIBE until connected, and re-subscribe after reconnects.
  const subscriber = new Redis(url, { ...options, enableOfflineQueue: true })
  // Outage tests make connection errors on purpose; the cache reports them through its stats and breaker.
  for (const client of [redis, subscriber]) client.on('error', () => undefined)
  return {
    redis,
    subscriber,
    close() {
      redis.disconnect()
      subscriber.disconnect()
    },
  }
}

export const uniquePrefix = (name: string) => `phers-test:${name}:${randomUUID()}`

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/** A throwaway redis-server on a port of its own, for tests that kill and restart Redis. */
export async function startRedisServer(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  })
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false })
    probe.on('error', () => undefined)
    try {
      await probe.connect()
      await probe.ping()
      return child
    } catch {
      await sleep(50)
    } finally {
      probe.disconnect()
    }
  }
  child.kill('SIGKILL')
  throw new Error(`redis-server did not start on port ${port}`)
}

export async function stopProcess(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGKILL')
  await exited
}
