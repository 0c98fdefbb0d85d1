import { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { createRedisProbe } from './redis-probe.ts'

const url = process.env.REDIS_URL
const required = process.env.PHERS_REQUIRE_SERVICES === '1'

describe.skipIf(!url && !required)('redis probe', () => {
  it('measures a PING round trip on a ready client', async () => {
    if (!url) throw new Error('REDIS_URL is required when PHERS_REQUIRE_SERVICES=1')
    const client = new Redis(url)
    await new Promise((resolve) => client.once('ready', resolve))
    const result = await createRedisProbe(client)()
    client.disconnect()
    expect(result.status).toBe('ready')
    expect(result.rttMs).toBeGreaterThan(0)
  })
})

describe('redis probe without a server', () => {
  it('reports the connection status without waiting', async () => {
    const client = new Redis({ port: 1, lazyConnect: true, retryStrategy: () => null })
    client.on('error', () => {})
    expect(await createRedisProbe(client)()).toEqual({ status: 'wait', rttMs: null })
    client.disconnect()
  })
})
