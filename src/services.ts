import type { createPubSub } from 'graphql-yoga'
import type { Config } from './config.ts'
import type { Database } from './infra/database.ts'
import type { Logger } from './infra/logger.ts'
import type { ApiKeyService } from './features/auth/api-keys.ts'
import type { DatabaseRoles } from './features/auth/database-roles.ts'
import type { WorkloadRecorder } from './features/sql/workload-recorder.ts'
import type { Telemetry } from './features/telemetry/telemetry.ts'

/** The audit trail: uploads, deletions, key changes, index changes, alert transitions. */
export interface ActivityRecorder {
  record(entry: { actor: string; action: string; subject: string; detail: Record<string, unknown> }): void
}

export type PubSub = ReturnType<typeof createPubSub<Record<string, [unknown]>>>

/**
 * Everything a resolver may reach, built once by `createApp` and put on each request's context.
 * Features depend on these narrow services, never on each other's internals.
 */
export interface Services {
  config: Config
  logger: Logger
  database: Database
  pubsub: PubSub
  apiKeys: ApiKeyService
  roles: DatabaseRoles
  workload: WorkloadRecorder
  telemetry: Telemetry
  activity?: ActivityRecorder
}
