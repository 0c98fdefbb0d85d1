import { pino } from 'pino'
import { createApp, type App } from '../../src/app.ts'
import { SAMPLE_CSV } from '../../src/cli.ts'
import { loadSampleDataset } from '../../src/cli/load-sample-dataset.ts'
import { loadConfig } from '../../src/config.ts'
import { median } from './interleaved-throughput.ts'

async function startApp(telemetry: boolean): Promise<App> {
  const config = loadConfig({ PORT: '0', PHERS_DATA_DIR: ':memory:', PHERS_TELEMETRY: telemetry ? '1' : '0', PHERS_INSTANCE_ID: `inproc-${telemetry ? 'on' : 'off'}` })
  const app = await createApp(config, { logger: pino({ level: 'silent' }) })
  await app.start()
  await loadSampleDataset(app, SAMPLE_CSV)
  return app
}

/**
 * Monitoring on vs off with the machine's noise taken out as far as one process can: two real apps (each with its
 * own embedded database) in this process, the same request through `yoga.fetch` (no sockets) in many short
 * alternating batches, so a burst of load from other processes hits both sides alike. Median µs per request.
 */
export async function inProcessOverhead(bodies: Record<string, string>, batches: number, perBatch: number): Promise<Record<string, { offUs: number; onUs: number }>> {
  const apps = { on: await startApp(true), off: await startApp(false) }
  try {
    const out: Record<string, { offUs: number; onUs: number }> = {}
    for (const [name, body] of Object.entries(bodies)) {
      const batch = async (app: App) => {
        const started = performance.now()
        for (let i = 0; i < perBatch; i++) {
          const res = await app.yoga.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body })
          const answer = (await res.json()) as { errors?: unknown[] }
          if (answer.errors) throw new Error(`${name}: ${JSON.stringify(answer.errors)}`)
        }
        return ((performance.now() - started) * 1000) / perBatch
      }
      await batch(apps.off)
      await batch(apps.on)
      const times = { on: [] as number[], off: [] as number[] }
      for (let b = 0; b < batches; b++) {
        for (const side of b % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) times[side].push(await batch(apps[side]))
      }
      out[name] = { offUs: median(times.off), onUs: median(times.on) }
    }
    return out
  } finally {
    await Promise.all([apps.on.stop(), apps.off.stop()])
  }
}
