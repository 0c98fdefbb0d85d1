export interface Baseline {
  p95Ms: number
  ratePerSec: number
  samples: number
  updatedAt: number
}

export interface BaselineOptions {
  /** Weight of the newest interval; 0.2 ≈ the last ~10 intervals dominate. Default 0.2. */
  alpha: number
  /** Intervals observed before the baseline is trusted for alerts. Default 5. */
  warmupSamples: number
}

export const DEFAULT_BASELINE_OPTIONS: BaselineOptions = { alpha: 0.2, warmupSamples: 5 }

/** Folds one interval's p95 and rate into the EWMA; the first interval seeds it. */
export function updateBaseline(
  previous: Baseline | null,
  interval: { p95Ms: number; ratePerSec: number },
  now: number,
  { alpha }: BaselineOptions,
): Baseline {
  if (!previous) return { p95Ms: interval.p95Ms, ratePerSec: interval.ratePerSec, samples: 1, updatedAt: now }
  return {
    p95Ms: previous.p95Ms + alpha * (interval.p95Ms - previous.p95Ms),
    ratePerSec: previous.ratePerSec + alpha * (interval.ratePerSec - previous.ratePerSec),
    samples: previous.samples + 1,
    updatedAt: now,
  }
}

export const isWarm = (baseline: Baseline | null | undefined, options: BaselineOptions): baseline is Baseline =>
  Boolean(baseline && baseline.samples >= options.warmupSamples)
