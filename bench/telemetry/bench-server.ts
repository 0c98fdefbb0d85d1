/**
 * One benchmark server process (so load generation does not share its event loop). argv[2]: `on` or `off`
 * (telemetry plugin and sampling). Prints `{ url, wsUrl, pid }` as one JSON line; exits on `stop` or stdin end.
 */
import { createInterface } from 'node:readline'
import { startTelemetryTestServer } from '../../src/features/telemetry/telemetry-test-server.ts'

const server = await startTelemetryTestServer({ instanceId: `bench-${process.argv[2]}`, monitoring: process.argv[2] !== 'off' })
process.stdout.write(`${JSON.stringify({ url: server.url, wsUrl: server.wsUrl, pid: process.pid })}\n`)
for await (const line of createInterface({ input: process.stdin })) if (line.trim() === 'stop') break
await server.stop()
process.exit(0)
