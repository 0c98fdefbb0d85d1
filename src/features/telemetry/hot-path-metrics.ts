import type { Aggregator, Metric, Registry } from 'prom-client'

/**
 * Prometheus counters and histograms updated on every request. prom-client's own `observe`/`inc` validate and
 * hash their label set on every call, even through a child from `labels()` (about 0.5 µs each, several per
 * request); here a series is a plain object the caller keeps, updated with a few additions, and the label work
 * happens once per scrape. The registry, the text format and every low-rate metric stay prom-client's.
 */

type Labels = Record<string, string>

/** One value as prom-client's registry formats it: the shape its own metrics return from `get()`. */
interface ExportedValue {
  labels: Record<string, string | number>
  /** Printed after `labels`: prom-client puts a bucket's `le` first and the series' labels after it. */
  sharedLabels?: Labels
  value: number
  metricName?: string
}

export class CounterSeries {
  value = 0
  constructor(readonly labels: Labels) {}
  inc(by = 1) {
    this.value += by
  }
}

export class HistogramSeries {
  /** Per bucket, not cumulative: observe adds to one slot, export accumulates. */
  readonly counts: Float64Array
  sum = 0
  count = 0
  constructor(readonly labels: Labels, private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length)
  }

  observe(value: number) {
    const bounds = this.bounds
    let i = 0
    while (i < bounds.length && value > bounds[i]!) i++
    if (i < bounds.length) this.counts[i]!++
    this.sum += value
    this.count++
  }
}

interface MetricSpec<L extends string> {
  name: string
  help: string
  labelNames: readonly L[]
  registry: Registry
}

/** The label sets of one metric, registered with the registry as a metric of its own. */
abstract class HotMetric<L extends string, S extends { labels: Labels }> {
  private readonly series = new Map<string, S>()
  constructor(protected readonly spec: MetricSpec<L>, type: 'counter' | 'histogram') {
    const metric = {
      name: spec.name, help: spec.help, type, aggregator: 'sum' as Aggregator,
      getForPromString: () => this.export(type, false),
      get: () => this.export(type, true),
      reset: () => this.series.clear(),
    }
    // prom-client's registry reads any object with this shape (its cluster aggregator registers the same kind).
    spec.registry.registerMetric(metric as unknown as Metric)
  }

  /** The series for these label values (in `labelNames` order): one map lookup once it exists. */
  labels(...values: string[]): S {
    const key = values.join('\u0000')
    let found = this.series.get(key)
    if (!found) {
      const labels = Object.fromEntries(this.spec.labelNames.map((name, i) => [name, values[i] ?? '']))
      this.series.set(key, (found = this.create(labels)))
    }
    return found
  }

  /** Drops every series whose labels include these. */
  remove(match: Partial<Record<L, string>>) {
    const pairs = Object.entries(match) as [string, string][]
    for (const [key, s] of this.series) if (pairs.every(([k, v]) => s.labels[k] === v)) this.series.delete(key)
  }

  protected abstract create(labels: Labels): S
  protected abstract values(series: S): ExportedValue[]

  /** `splay`: labels merged into one object, as prom-client's `get()` returns them (its JSON export). */
  private async export(type: string, splay: boolean) {
    const values: ExportedValue[] = []
    for (const s of this.series.values()) {
      for (const v of this.values(s)) values.push(splay && v.sharedLabels ? { ...v, labels: { ...v.labels, ...v.sharedLabels }, sharedLabels: {} } : v)
    }
    return { name: this.spec.name, help: this.spec.help, type, aggregator: 'sum' as Aggregator, values }
  }
}

export class HotCounter<L extends string> extends HotMetric<L, CounterSeries> {
  constructor(spec: MetricSpec<L>) {
    super(spec, 'counter')
  }
  protected create(labels: Labels) {
    return new CounterSeries(labels)
  }
  protected values(s: CounterSeries) {
    return [{ labels: s.labels, value: s.value }]
  }
}

export class HotHistogram<L extends string> extends HotMetric<L, HistogramSeries> {
  private readonly buckets: readonly number[]
  constructor(spec: MetricSpec<L> & { buckets: readonly number[] }) {
    super(spec, 'histogram')
    this.buckets = [...spec.buckets].sort((a, b) => a - b)
  }
  protected create(labels: Labels) {
    return new HistogramSeries(labels, this.buckets)
  }
  protected values(s: HistogramSeries) {
    const name = this.spec.name
    let cumulative = 0
    const out: ExportedValue[] = this.buckets.map((le, i) => {
      cumulative += s.counts[i]!
      return { labels: { le }, sharedLabels: s.labels, value: cumulative, metricName: `${name}_bucket` }
    })
    out.push(
      { labels: { le: '+Inf' }, sharedLabels: s.labels, value: s.count, metricName: `${name}_bucket` },
      { labels: s.labels, value: s.sum, metricName: `${name}_sum` },
      { labels: s.labels, value: s.count, metricName: `${name}_count` },
    )
    return out
  }
}
