import type { OptimizerEvent } from './optimizer-types.ts'

/** Where the advisor reports what it did: the activity log (audit) and telemetry events. */
export interface AdvisorHooks {
  activity?: { record(entry: { actor: string; action: string; subject: string; detail: Record<string, unknown> }): void }
  onEvent?: (event: OptimizerEvent) => void
}
