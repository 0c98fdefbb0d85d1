import type { Viewer } from './features/auth/viewer.ts'
import type { Logger } from './infra/logger.ts'
import type { Services } from './services.ts'

/** Per-request state: who asks, the request id, the abort signal, request-scoped loaders. */
export interface AppContext {
  requestId: string
  /** The app logger bound to this request's id. */
  logger: Logger
  viewer: Viewer
  signal: AbortSignal
  services: Services
  /** DataLoaders created per request (batched catalog lookups). */
  loaders: Record<string, unknown>
}
