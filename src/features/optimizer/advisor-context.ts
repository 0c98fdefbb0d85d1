import type { Logger } from 'pino'
import type { Database } from '../../infra/database.ts'
import type { DatabaseRoles } from '../auth/database-roles.ts'
import type { StatementGuard } from '../sql/statement-guard.ts'
import type { WorkloadRecorder } from '../sql/workload-recorder.ts'
import type { ResolvedLimits } from './optimizer-limits.ts'
import type { RecommendationStore } from './recommendation-store.ts'

/** What the advisor's operations share; built once by `createIndexAdvisor`. */
export interface AdvisorContext {
  database: Database
  roles: Pick<DatabaseRoles, 'ownerSchema' | 'sharedSchema' | 'readerFor'>
  workload: Pick<WorkloadRecorder, 'top'>
  guard: StatementGuard
  store: RecommendationStore
  logger: Logger
  limits: ResolvedLimits
}
