/**
 * Child process of the in-process overhead benchmark: one or more instances of the real app (embedded database,
 * sample dataset), each with monitoring on or off (argv[2], e.g. `on` or `off,on`), driven over IPC. Each
 * `{ app, body, n }` message runs `n` requests one after the other through that app's `yoga.fetch` (no sockets)
 * and answers with the wall-clock and CPU microseconds per request; with `allocations`, it answers instead with what
 * the batch allocated (`all`) or what of it outlived a scavenge (`promoted`), per request (the profiler slows it,
 * so its timings are not reported).
 */
import { pino } from 'pino'
import { createApp, type App } from '../../src/app.ts'
import { SAMPLE_CSV } from '../../src/cli.ts'
import { loadSampleDataset } from '../../src/cli/load-sample-dataset.ts'
import { loadConfig } from '../../src/config.ts'
import { profileAllocations, type AllocationProfile } from './allocation-profile.ts'

export interface BatchRequest { app: number; body: string; n: number; allocations?: 'all' | 'promoted' }
export interface BatchResult { wallUs: number; cpuUs: number; error?: string; allocations?: AllocationProfile }

const apps: App[] = []
for (const [i, side] of process.argv[2]!.split(',').entries()) {
  const config = loadConfig({ PORT: '0', PHERS_DATA_DIR: ':memory:', PHERS_TELEMETRY: side === 'on' ? '1' : '0', PHERS_INSTANCE_ID: `inproc-${side}-${i}` })
  const app = await createApp(config, { logger: pino({ level: 'silent' }) })
  await app.start()
  await loadSampleDataset(app, SAMPLE_CSV)
  apps.push(app)
}

/** `n` requests one after the other; the first error's text, if any. */
async function requests(app: App, body: string, n: number): Promise<string | null> {
  // As an HTTP client sends it: a body of known size comes with its Content-Length.
  const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }
  for (let i = 0; i < n; i++) {
    const res = await app.yoga.fetch('http://localhost/graphql', { method: 'POST', headers, body })
    const answer = (await res.json()) as { errors?: unknown[] }
    if (answer.errors) return JSON.stringify(answer.errors)
  }
  return null
}

async function batch({ app: index, body, n, allocations }: BatchRequest): Promise<BatchResult> {
  const app = apps[index]!
  if (allocations) {
    let error: string | null = null
    const profile = await profileAllocations(n, async () => void (error = await requests(app, body, n)), allocations)
    return error === null ? { wallUs: 0, cpuUs: 0, allocations: profile } : { wallUs: 0, cpuUs: 0, error }
  }
  const cpu = process.cpuUsage()
  const started = performance.now()
  const error = await requests(app, body, n)
  if (error !== null) return { wallUs: 0, cpuUs: 0, error }
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
