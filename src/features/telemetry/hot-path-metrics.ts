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
  /** By first label value, then second: no key string is built per call, and callers pass the same strings. */
  private readonly series = new Map<string, Map<string, S>>()
  /** Every series in creation order, the order prom-client prints them in. */
  private readonly ordered = new Set<S>()
  constructor(protected readonly spec: MetricSpec<L>, type: 'counter' | 'histogram') {
    if (spec.labelNames.length > 2) throw new Error(`${spec.name}: a hot metric has at most two labels`)
    const metric = {
      name: spec.name, help: spec.help, type, aggregator: 'sum' as Aggregator,
      getForPromString: () => this.export(type, false),
      get: () => this.export(type, true),
      reset: () => {
        this.series.clear()
        this.ordered.clear()
      },
    }
    // prom-client's registry reads any object with this shape (its cluster aggregator registers the same kind).
    spec.registry.registerMetric(metric as unknown as Metric)
  }

  /** The series for these label values (in `labelNames` order): two map lookups and no allocation once it exists. */
  labels(first: string, second = ''): S {
    let inner = this.series.get(first)
    const found = inner?.get(second)
    if (found) return found
    const values = [first, second]
    const created = this.create(Object.fromEntries(this.spec.labelNames.map((name, i) => [name, values[i]!])))
    if (!inner) this.series.set(first, (inner = new Map()))
    inner.set(second, created)
    this.ordered.add(created)
    return created
  }

  /** Drops every series whose labels include these. */
  remove(match: Partial<Record<L, string>>) {
    const pairs = Object.entries(match) as [string, string][]
    for (const [first, inner] of this.series) {
      for (const [key, s] of inner) {
        if (!pairs.every(([k, v]) => s.labels[k] === v)) continue
        inner.delete(key)
        this.ordered.delete(s)
      }
      if (inner.size === 0) this.series.delete(first)
    }
  }

  protected abstract create(labels: Labels): S
  protected abstract values(series: S): ExportedValue[]

  /** `splay`: labels merged into one object, as prom-client's `get()` returns them (its JSON export). */
  private async export(type: string, splay: boolean) {
    const values: ExportedValue[] = []
    for (const s of this.ordered) {
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
