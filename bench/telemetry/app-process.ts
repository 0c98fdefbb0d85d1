/**
 * Child process of the in-process overhead benchmark: one or more instances of the real app (embedded database,
 * sample dataset), each with monitoring on or off (argv[2], e.g. `on` or `off,on`), driven over IPC. Each
 * `{ app, body, n }` message runs `n` requests one after the other through that app's `yoga.fetch` (no sockets)
 * and answers with the wall-clock and CPU microseconds per request.
 */
import { pino } from 'pino'
import { createApp, type App } from '../../src/app.ts'
import { SAMPLE_CSV } from '../../src/cli.ts'
import { loadSampleDataset } from '../../src/cli/load-sample-dataset.ts'
import { loadConfig } from '../../src/config.ts'

export interface BatchRequest { app: number; body: string; n: number }
export interface BatchResult { wallUs: number; cpuUs: number; error?: string }

const apps: App[] = []
for (const [i, side] of process.argv[2]!.split(',').entries()) {
  const config = loadConfig({ PORT: '0', PHERS_DATA_DIR: ':memory:', PHERS_TELEMETRY: side === 'on' ? '1' : '0', PHERS_INSTANCE_ID: `inproc-${side}-${i}` })
  const app = await createApp(config, { logger: pino({ level: 'silent' }) })
  await app.start()
  await loadSampleDataset(app, SAMPLE_CSV)
  apps.push(app)
}

async function batch({ app: index, body, n }: BatchRequest): Promise<BatchResult> {
  const app = apps[index]!
  // As an HTTP client sends it: a body of known size comes with its Content-Length.
  const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }
  const cpu = process.cpuUsage()
  const started = performance.now()
  for (let i = 0; i < n; i++) {
    const res = await app.yoga.fetch('http://localhost/graphql', { method: 'POST', headers, body })
    const answer = (await res.json()) as { errors?: unknown[] }
    if (answer.errors) return { wallUs: 0, cpuUs: 0, error: JSON.stringify(answer.errors) }
  }
  const wallUs = ((performance.now() - started) * 1000) / n
  const used = process.cpuUsage(cpu)
  return { wallUs, cpuUs: (used.user + used.system) / n }
}

process.on('message', (message: BatchRequest | 'stop') => {
  if (message === 'stop') {
    void Promise.all(apps.map((app) => app.stop())).then(() => process.exit(0))
    return
  }
  void batch(message).then((result) => process.send!(result))
})
process.send!('ready')
