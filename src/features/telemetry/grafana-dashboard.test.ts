import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createPrometheusMetrics } from './prometheus-metrics.ts'

const DASHBOARD = fileURLToPath(new URL('../../../dashboards/phers-grafana.json', import.meta.url))

describe('Grafana dashboard', () => {
  it('queries only metric names the registry exports', async () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: { targets: { expr: string }[] }[] }
    const used = new Set(
      dashboard.panels
        .flatMap((p) => p.targets.map((t) => t.expr))
        .flatMap((expr) => expr.match(/\b(?:phers|process|nodejs)_[a-z0-9_]+/g) ?? [])
        .map((name) => name.replace(/_(bucket|sum|count)$/, '')),
    )
    const metrics = createPrometheusMetrics()
    const exported = new Set((await metrics.registry.getMetricsAsJSON()).map((m) => m.name))
    expect(used.size).toBeGreaterThan(10)
    expect([...used].filter((name) => !exported.has(name))).toEqual([])
  })
})
