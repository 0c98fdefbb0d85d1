import type { Logger } from 'pino'
import { isAppError } from '../../errors.ts'
import { explainPlanSummary, type ExplainSummaryOptions } from './explain-plan-summary.ts'
import type { Clock, PlanSummary } from './telemetry-types.ts'

/**
 * Runs `EXPLAIN (FORMAT JSON[, ANALYZE])` of a statement as the viewer who ran it, through the same guard,
 * reader role and limits as `sql` (the app passes the optimizer's `explain`); resolves with the raw JSON.
 */
export type PlanExplainer = (request: { sql: string; viewerId: string; analyze: boolean }) => Promise<unknown>

/** A fingerprint worth a plan: its sample statement, who ran it, and when its current plan was taken. */
export interface PlanCandidate {
  fingerprint: string
  sql: string
  viewerId: string | null
  capturedAt: Date | null
}

export interface PlanCaptureOptions extends ExplainSummaryOptions {
  /** A plan younger than this is kept; a failed attempt is not retried sooner either. Default 5 min. */
  maxAgeMs?: number
  /**
   * EXPLAIN ANALYZE runs the statement once more (read only, rolled back) to measure spills and misestimates;
   * when it is refused (too expensive for the embedded database, timeout) the plain plan is taken. Default true.
   */
  analyze?: boolean
}

export interface PlanCapture {
  /** Captures missing or stale plans of `candidates`, one statement at a time; resolves with how many it took. */
  refresh(candidates: PlanCandidate[]): Promise<number>
  /** Waits for the capture in progress and refuses new ones. */
  stop(): Promise<void>
}

/**
 * Keeps bottlenecks' plan summaries fresh. Captures run one after another so plan-taking never adds more than one
 * statement of load, and each fingerprint is tried at most once per `maxAgeMs` whether it succeeded or not.
 */
export function createPlanCapture(deps: {
  explain: PlanExplainer
  record: (fingerprint: string, plan: PlanSummary) => void
  clock: Clock
  logger: Logger
  options?: PlanCaptureOptions
}): PlanCapture {
  const { explain, record, clock, logger, options = {} } = deps
  const maxAgeMs = options.maxAgeMs ?? 300_000
  const attempted = new Map<string, number>()
  let queue: Promise<unknown> = Promise.resolve()
  let stopped = false

  const due = (c: PlanCandidate, now: number) =>
    c.viewerId !== null &&
    (c.capturedAt === null || now - c.capturedAt.getTime() >= maxAgeMs) &&
    now - (attempted.get(c.fingerprint) ?? Number.NEGATIVE_INFINITY) >= maxAgeMs

  const explainOnce = async (c: PlanCandidate & { viewerId: string }) => {
    if (options.analyze === false) return explain({ sql: c.sql, viewerId: c.viewerId, analyze: false })
    try {
      return await explain({ sql: c.sql, viewerId: c.viewerId, analyze: true })
    } catch (error) {
      if (!isAppError(error)) throw error
      return explain({ sql: c.sql, viewerId: c.viewerId, analyze: false })
    }
  }

  const capture = async (c: PlanCandidate & { viewerId: string }): Promise<boolean> => {
    try {
      const raw = await explainOnce(c)
      record(c.fingerprint, explainPlanSummary(raw, new Date(clock.now()), options))
      return true
    } catch (error) {
      // Expected for statements EXPLAIN cannot take as they were recorded (bound parameters, a revoked key).
      logger.debug({ err: error, fingerprint: c.fingerprint }, 'telemetry: no plan for bottleneck')
      return false
    }
  }

  return {
    refresh(candidates) {
      const now = clock.now()
      const todo = candidates.filter((c): c is PlanCandidate & { viewerId: string } => !stopped && due(c, now))
      for (const c of todo) attempted.set(c.fingerprint, now)
      if (attempted.size > 4 * Math.max(candidates.length, 64)) {
        for (const [fingerprint, at] of attempted) if (now - at >= maxAgeMs) attempted.delete(fingerprint)
      }
      const run = queue.then(async () => {
        let taken = 0
        for (const c of todo) if (!stopped && (await capture(c))) taken++
        return taken
      })
      queue = run.catch(() => undefined)
      return run
    },
    async stop() {
      stopped = true
      await queue
    },
  }
}
