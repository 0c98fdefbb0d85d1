import { createRandom } from '../../scripts/seeded-random.ts'
import { median } from './interleaved-throughput.ts'

/**
 * Percentile-bootstrap interval of the median of `xs` (default 95 %): how far the median of a dozen process pairs
 * could move had other pairs been drawn. The verdict on a target reads its upper end, not the median alone.
 */
export function bootstrapMedianInterval(xs: readonly number[], level = 0.95, resamples = 10_000): [number, number] {
  if (xs.length === 0) return [NaN, NaN]
  // Seeded, so the same figures always give the same interval.
  const random = createRandom(0x5eed)
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
