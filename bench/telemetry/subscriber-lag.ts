import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createClient, type Client } from 'graphql-ws'
import WebSocket from 'ws'

export interface LagResult {
  subscribers: number
  deliveries: number
  lagP50Ms: number
  lagP99Ms: number
  lagMaxMs: number
  /** Server figures from the snapshots themselves, first and last of the measuring window. */
  serverCpuPercent: number
  /** Longest event-loop stall the server saw in a second: how long one fan-out blocks it. */
  serverLoopDelayMaxMs: number
  serverRssBeforeBytes: number
  serverRssAfterBytes: number
  serverHeapBeforeBytes: number
  serverHeapAfterBytes: number
}

const QUERY = `subscription { performanceSnapshots(intervalMs: 1000) {
  instanceId takenAt resources { cpuPercent rssBytes heapUsedBytes openSubscriptions eventLoopDelayMaxMs }
  operations { name windows { window p95Ms } } alerts { id }
} }`

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0

export interface SubscriberSamples {
  lags: number[]
  server: { cpu: number; rss: number; heap: number; loopMaxMs: number }[]
}

/**
 * `count` graphql-ws clients (one WebSocket each) subscribe to 1-second snapshots; lag is arrival time minus
 * the snapshot's `takenAt` (same host clock). Measures for `measureMs` after every subscriber got its first one.
 */
export async function measureSubscribers(wsUrl: string, count: number, measureMs: number): Promise<SubscriberSamples> {
  const clients: Client[] = []
  const samples: SubscriberSamples = { lags: [], server: [] }
  let measuring = false
  let firstSeen = 0
  const allSubscribed = new Promise<void>((resolve) => {
    for (let i = 0; i < count; i++) {
      const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false })
      clients.push(client)
      let first = true
      client.subscribe<{ performanceSnapshots: { takenAt: string; resources: { cpuPercent: number; rssBytes: number; heapUsedBytes: number; eventLoopDelayMaxMs: number } } }>({ query: QUERY }, {
        next: ({ data }) => {
          const arrived = Date.now()
          if (first) {
            first = false
            if (++firstSeen === count) resolve()
          }
          if (!measuring || !data) return
          samples.lags.push(arrived - Date.parse(data.performanceSnapshots.takenAt))
          if (i === 0) {
            const r = data.performanceSnapshots.resources
            samples.server.push({ cpu: r.cpuPercent, rss: r.rssBytes, heap: r.heapUsedBytes, loopMaxMs: r.eventLoopDelayMaxMs })
          }
        },
        error: (error) => console.error('subscriber error', error),
        complete: () => undefined,
      })
    }
  })
  await allSubscribed
  measuring = true
  await new Promise((r) => setTimeout(r, measureMs))
  measuring = false
  await Promise.all(clients.map((c) => c.dispose()))
  return samples
}

const WORKER = fileURLToPath(new URL('./subscriber-worker.ts', import.meta.url))

/**
 * Spreads `count` subscribers over `workers` client processes, so the measured lag is the server's delivery and
 * not one client process parsing 1,000 messages in a row.
 */
export async function subscriberLag(wsUrl: string, count: number, workers: number, measureMs: number, baseline: () => Promise<{ rss: number; heap: number }>): Promise<LagResult> {
  const before = await baseline()
  const parts = await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const share = Math.floor(count / workers) + (w < count % workers ? 1 : 0)
      const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify({ wsUrl, count: share, measureMs })], { stdio: ['ignore', 'pipe', 'inherit'] })
      return new Promise<SubscriberSamples>((resolve, reject) => {
        let out = ''
        child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()))
        child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as SubscriberSamples) : reject(new Error(`worker exited with ${code}`))))
      })
    }),
  )
  const lags = parts.flatMap((p) => p.lags).sort((a, b) => a - b)
  const server = parts[0]!.server
  const last = server[server.length - 1]
  return {
    subscribers: count,
    deliveries: lags.length,
    lagP50Ms: percentile(lags, 0.5),
    lagP99Ms: percentile(lags, 0.99),
    lagMaxMs: lags[lags.length - 1] ?? 0,
    serverCpuPercent: server.reduce((s, f) => s + f.cpu, 0) / Math.max(server.length, 1),
    serverLoopDelayMaxMs: Math.max(0, ...server.map((f) => f.loopMaxMs)),
    serverRssBeforeBytes: before.rss,
    serverRssAfterBytes: last?.rss ?? 0,
    serverHeapBeforeBytes: before.heap,
    serverHeapAfterBytes: last?.heap ?? 0,
  }
}
