import { Counter, Histogram, Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { HotCounter, HotHistogram } from './hot-path-metrics.ts'

const BUCKETS = [0.001, 0.01, 0.1, 1]
const SAMPLES: [string, string, number][] = [
  ['Good', 'query', 0.0004], ['Good', 'query', 0.001], ['Good', 'query', 0.05], ['Bad', 'mutation', 3], ['Good', 'query', 0.2],
  ['Bad', 'mutation', 0.01], ['Good', 'query', 1],
]

/** SAMPLES observed by a prom-client Histogram in `theirs` and by a HotHistogram in `ours`. */
function observedByBoth() {
  const theirs = new Registry()
  const ours = new Registry()
  const spec = { name: 'op_seconds', help: 'op time', labelNames: ['operation', 'type'] as const, buckets: BUCKETS }
  const reference = new Histogram({ ...spec, labelNames: [...spec.labelNames], registers: [theirs] })
  const hot = new HotHistogram({ ...spec, registry: ours })
  for (const [operation, type, seconds] of SAMPLES) {
    reference.labels(operation, type).observe(seconds)
    hot.labels(operation, type).observe(seconds)
  }
  return { ours, theirs }
}

/** The same observations through prom-client's own metrics and through ours must print the same text. */
describe('hot-path metrics', () => {
  it('a histogram prints exactly what prom-client prints for the same observations', async () => {
    const { ours, theirs } = observedByBoth()
    expect(await ours.metrics()).toBe(await theirs.metrics())
  })

  it('a counter prints what prom-client prints, and remove drops every matching series', async () => {
    const theirs = new Registry()
    const ours = new Registry()
    const spec = { name: 'rows_total', help: 'rows', labelNames: ['fingerprint', 'cache'] as const }
    const reference = new Counter({ ...spec, labelNames: [...spec.labelNames], registers: [theirs] })
    const hot = new HotCounter({ ...spec, registry: ours })
    for (const [fingerprint, cache, n] of [['a', 'L1', 3], ['b', 'none', 1], ['a', 'none', 2], ['a', 'L1', 4]] as const) {
      reference.labels(fingerprint, cache).inc(n)
      hot.labels(fingerprint, cache).inc(n)
    }
    expect(await ours.metrics()).toBe(await theirs.metrics())
    hot.remove({ fingerprint: 'a' })
    reference.remove({ fingerprint: 'a', cache: 'L1' })
    reference.remove({ fingerprint: 'a', cache: 'none' })
    expect(await ours.metrics()).toBe(await theirs.metrics())
    expect(await ours.metrics()).not.toContain('fingerprint="a"')
  })

  it('a series is created once per label set and reused', () => {
    const hot = new HotHistogram({ name: 'x_seconds', help: 'x', labelNames: ['a'], buckets: BUCKETS, registry: new Registry() })
    expect(hot.labels('1')).toBe(hot.labels('1'))
    expect(hot.labels('1')).not.toBe(hot.labels('2'))
  })
})

describe('hot-path metrics as JSON', () => {
  it('match prom-client’s JSON export, labels merged', async () => {
    const { ours, theirs } = observedByBoth()
    const strip = (metrics: { values: { labels: object; value: number; metricName?: string }[] }[]) =>
      metrics.map((m) => m.values.map(({ labels, value, metricName }) => ({ labels, value, metricName })))
    expect(strip(await ours.getMetricsAsJSON())).toEqual(strip(await theirs.getMetricsAsJSON()))
  })
})
