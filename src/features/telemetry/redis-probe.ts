import type { Redis } from 'ioredis'

export interface RedisProbeResult {
  status: string
  rttMs: number | null
}

/**
 * The `sources.redis` probe for createTelemetry: ioredis' connection status, and a PING round trip when ready.
 * A client that is reconnecting answers at once with its status instead of queueing a PING behind the outage.
 */
export function createRedisProbe(client: Pick<Redis, 'status' | 'ping'>): () => Promise<RedisProbeResult> {
  return async () => {
    if (client.status !== 'ready') return { status: client.status, rttMs: null }
    const started = performance.now()
    await client.ping()
    return { status: 'ready', rttMs: performance.now() - started }
  }
}
