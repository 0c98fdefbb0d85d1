import type { Database, DbSession } from '../../infra/database.ts'
import { createIndexStatement, indexNameOf } from './index-statement.ts'
import type { IndexCandidate } from './optimizer-types.ts'
import { enterPlannerSession, explainStatement, type PlannableStatement, type PlannerSettings } from './planner-session.ts'
import { qualified } from '../../infra/quote-ident.ts'

/** The planner's view of a workload with one candidate index present. */
export interface CandidateEvaluation {
  candidate: IndexCandidate
  sizeBytes: number
  /** Estimated total cost of each statement (same order as given) with the candidate present. */
  costs: number[]
  /** Wall time spent evaluating (the build, for the rollback method). */
  elapsedMs: number
  method: 'hypopg' | 'rollback'
}

export interface CandidateEvaluator {
  evaluate(candidate: IndexCandidate, statements: readonly PlannableStatement[]): Promise<CandidateEvaluation>
}

export interface EvaluatorDeps {
  database: Database
  settings: PlannerSettings
  /** hypopg is installed in this database: hypothetical indexes cost nothing to "build". */
  hypopg: boolean
}

/**
 * Evaluates candidates without keeping them. With hypopg, a hypothetical index is planned against for free.
 * Otherwise the index is really built inside a transaction that always rolls back: PostgreSQL's transactional
 * DDL means no one else ever sees it. The build holds a SHARE lock on the table until the rollback: readers
 * (ACCESS SHARE) are not blocked, writers are, and `lock_timeout` keeps the build from waiting behind (and so
 * queueing others behind) a conflicting lock; `statement_timeout` bounds the build itself.
 * hypopg cannot model GIN, so trigram candidates are always built.
 */
export function createCandidateEvaluator({ database, settings, hypopg }: EvaluatorDeps): CandidateEvaluator {
  const costsOf = async (session: DbSession, statements: readonly PlannableStatement[]) => {
    const costs: number[] = []
    for (const statement of statements) costs.push((await explainStatement(session, statement)).Plan['Total Cost'] as number)
    return costs
  }

  function inSession<T>(work: (session: DbSession) => Promise<T>): Promise<T> {
    return database.transaction(async (session) => {
      await enterPlannerSession(session, settings)
      return work(session)
    }, { alwaysRollback: true })
  }

  async function byRollback(candidate: IndexCandidate, statements: readonly PlannableStatement[]): Promise<CandidateEvaluation> {
    const started = performance.now()
    return inSession(async (session) => {
      const name = indexNameOf(candidate)
      await session.query(createIndexStatement(candidate, { name }))
      const size = await session.query<{ bytes: number }>('SELECT pg_relation_size(to_regclass($1))::float8 AS bytes', [qualified(candidate.schema, name)])
      const costs = await costsOf(session, statements)
      return { candidate, sizeBytes: Number(size.rows[0]?.bytes ?? 0), costs, elapsedMs: performance.now() - started, method: 'rollback' as const }
    })
  }

  async function byHypothesis(candidate: IndexCandidate, statements: readonly PlannableStatement[]): Promise<CandidateEvaluation> {
    const started = performance.now()
    return inSession(async (session) => {
      const created = await session.query<{ indexrelid: number }>('SELECT indexrelid FROM hypopg_create_index($1)', [createIndexStatement(candidate)])
      const oid = created.rows[0]?.indexrelid
      try {
        const size = await session.query<{ bytes: number }>('SELECT hypopg_relation_size($1)::float8 AS bytes', [oid])
        const costs = await costsOf(session, statements)
        return { candidate, sizeBytes: Number(size.rows[0]?.bytes ?? 0), costs, elapsedMs: performance.now() - started, method: 'hypopg' as const }
      } finally {
        // Hypothetical indexes live in the backend, not the transaction: a pooled connection would keep them.
        await session.query('SELECT hypopg_reset()')
      }
    })
  }

  return {
    evaluate: (candidate, statements) =>
      hypopg && candidate.method === 'btree' ? byHypothesis(candidate, statements) : byRollback(candidate, statements),
  }
}
