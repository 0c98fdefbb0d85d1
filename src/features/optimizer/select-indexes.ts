import { isKeyPrefix } from './index-key.ts'
import type { CandidateEvaluation } from './candidate-evaluator.ts'

export interface StatementCost {
  calls: number
  /** Estimated cost without any new index. */
  cost: number
}

export interface SelectedIndex {
  evaluation: CandidateEvaluation
  /** Positions of the statements it makes cheaper than they are today. */
  helped: number[]
  /** Call-weighted cost of the helped statements today and with this index. */
  before: number
  after: number
}

export interface SelectionOptions {
  /** Required drop of the call-weighted cost of the statements a candidate helps. Default 0.5 (50 %). */
  minSaving?: number
  /** Size every index costs regardless of its bytes, so tiny differences in size do not decide alone. Default 1 MiB. */
  sizeFloorBytes?: number
}

/** A statement counts as helped when its cost drops by more than this share (planner noise stays out). */
const NOISE = 0.01

/**
 * Greedy choice, largest saving per byte first. Each round measures candidates against the best cost each
 * statement already has with the indexes chosen so far, so an index that only repeats what a chosen one gives
 * (a wider version of it, or a different column for the same statements) never passes the saving threshold.
 * A chosen index whose keys lead a wider chosen one is dropped at the end: the wider one serves both.
 */
export function selectIndexes(statements: readonly StatementCost[], evaluations: readonly CandidateEvaluation[], options: SelectionOptions = {}): SelectedIndex[] {
  const minSaving = options.minSaving ?? 0.5
  const floor = options.sizeFloorBytes ?? 1024 * 1024
  const current = statements.map((s) => s.cost)
  const chosen: CandidateEvaluation[] = []
  for (;;) {
    let best: { evaluation: CandidateEvaluation; score: number } | null = null
    for (const evaluation of evaluations) {
      if (chosen.includes(evaluation)) continue
      const gain = weighted(statements, current, evaluation.costs)
      if (gain.helped.length === 0 || gain.after > gain.before * (1 - minSaving)) continue
      const score = (gain.before - gain.after) / (evaluation.sizeBytes + floor)
      if (!best || score > best.score) best = { evaluation, score }
    }
    if (!best) break
    chosen.push(best.evaluation)
    best.evaluation.costs.forEach((cost, i) => (current[i] = Math.min(current[i]!, cost)))
  }
  const kept = chosen.filter((e) => !chosen.some((o) => o !== e && o.candidate.method === e.candidate.method &&
    o.candidate.keys.length > e.candidate.keys.length && isKeyPrefix(e.candidate.keys, o.candidate.keys)))
  const base = statements.map((s) => s.cost)
  return kept.map((evaluation) => ({ evaluation, ...weighted(statements, base, evaluation.costs) }))
}

function weighted(statements: readonly StatementCost[], against: readonly number[], costs: readonly number[]) {
  const helped = costs.flatMap((cost, i) => (cost < against[i]! * (1 - NOISE) ? [i] : []))
  const before = helped.reduce((sum, i) => sum + statements[i]!.calls * against[i]!, 0)
  const after = helped.reduce((sum, i) => sum + statements[i]!.calls * costs[i]!, 0)
  return { helped, before, after }
}
