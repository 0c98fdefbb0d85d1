import { median } from './interleaved-throughput.ts'

/** mulberry32: a small seeded generator, so the same figures always give the same interval. */
function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/**
 * Percentile-bootstrap interval of the median of `xs` (default 95 %): how far the median of a dozen process pairs
 * could move had other pairs been drawn. The verdict on a target reads its upper end, not the median alone.
 */
export function bootstrapMedianInterval(xs: readonly number[], level = 0.95, resamples = 10_000): [number, number] {
  if (xs.length === 0) return [NaN, NaN]
  const random = seeded(0x5eed)
  const medians = new Float64Array(resamples)
  const sample = new Array<number>(xs.length)
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < xs.length; i++) sample[i] = xs[Math.floor(random() * xs.length)]!
    medians[r] = median(sample)
  }
  medians.sort()
  const tail = (1 - level) / 2
  return [medians[Math.floor(tail * (resamples - 1))]!, medians[Math.ceil((1 - tail) * (resamples - 1))]!]
}
