import type { CandidateEvaluation, CandidateEvaluator } from './candidate-evaluator.ts'
import type { IndexCandidate } from './optimizer-types.ts'
import type { PlannableStatement } from './planner-session.ts'

/** A candidate and the statements (by position) that gave rise to it. */
export interface Proposed {
  candidate: IndexCandidate
  statements: number[]
}

export interface BudgetedEvaluation {
  evaluator: Pick<CandidateEvaluator, 'evaluate'>
  statements: (PlannableStatement & { calls: number; cost: number })[]
  proposed: Proposed[]
  /** When the whole recommendation run started (the budget covers planning too). */
  started: number
  budgetMs: number
  minSaving: number
  onFailure: (error: unknown, candidate: IndexCandidate) => void
}

/**
 * Dexter's two passes: single-column candidates first; composites only for statements no single column already
 * made `minSaving` cheaper. Within a pass the candidate whose statements still cost the most (calls × best
 * cost so far) goes next, and no evaluation starts when the mean one so far would end past the budget, so a
 * budget cut leaves out what matters least. A candidate that fails (lock or statement timeout) costs nothing.
 */
export async function evaluateWithinBudget(options: BudgetedEvaluation): Promise<{ evaluations: CandidateEvaluation[]; skipped: number }> {
  const { statements, proposed } = options
  const evaluations: CandidateEvaluation[] = []
  const best = statements.map((s) => s.cost)
  const potential = (p: Proposed) => p.statements.reduce((sum, i) => sum + statements[i]!.calls * best[i]!, 0)
  let spent = 0
  let skipped = 0
  const run = async (pass: Proposed[]) => {
    const queue = [...pass]
    while (queue.length > 0) {
      queue.sort((a, b) => potential(b) - potential(a))
      const typical = evaluations.length > 0 ? spent / evaluations.length : 0
      if (performance.now() - options.started + typical > options.budgetMs) return void (skipped += queue.length)
      const { candidate } = queue.shift()!
      const evaluation = await evaluateOne(options, candidate)
      evaluations.push(evaluation)
      spent += evaluation.elapsedMs
      evaluation.costs.forEach((cost, i) => (best[i] = Math.min(best[i]!, cost)))
    }
  }
  await run(proposed.filter((p) => p.candidate.keys.length === 1))
  const unserved = (i: number) => best[i]! > statements[i]!.cost * (1 - options.minSaving)
  await run(proposed.filter((p) => p.candidate.keys.length > 1 && p.statements.some(unserved)))
  return { evaluations, skipped }
}

async function evaluateOne(options: BudgetedEvaluation, candidate: IndexCandidate): Promise<CandidateEvaluation> {
  const started = performance.now()
  try {
    return await options.evaluator.evaluate(candidate, options.statements)
  } catch (error) {
    options.onFailure(error, candidate)
    return { candidate, sizeBytes: 0, costs: [], elapsedMs: performance.now() - started, method: 'rollback' }
  }
}
