import { createInterface } from 'node:readline'
import { startTelemetryTestServer } from './telemetry-test-server.ts'

/**
 * Test-only child process: one telemetry-enabled server. argv[2] is JSON `{ instanceId, redisUrl }`; it prints
 * `{ url, wsUrl }` as one JSON line, then obeys stdin lines: `fail N` injects N failing statements (as the SQL
 * executor would report them), `stop` shuts down.
 */
const { instanceId, redisUrl } = JSON.parse(process.argv[2] ?? '{}') as { instanceId: string; redisUrl: string }
const server = await startTelemetryTestServer({
  instanceId,
  redisUrl,
  rules: { errorRate: { forMs: 0, minCount: 3, windowMs: 5_000 } },
  options: { sampleIntervalMs: 200 },
})
process.stdout.write(`${JSON.stringify({ url: server.url, wsUrl: server.wsUrl })}\n`)

for await (const line of createInterface({ input: process.stdin })) {
  const [command, count] = line.trim().split(/\s+/)
  if (command === 'fail') {
    for (let i = 0; i < Number(count); i++) {
      server.telemetry.recordStatement({
        fingerprint: 'fp-failing', sql: 'select 1/0', durationMs: 1, rows: 0, error: 'SQL_ERROR', cacheLevel: null, datasets: [],
      })
    }
  }
  if (command === 'stop') break
}
await server.stop()
process.exit(0)
