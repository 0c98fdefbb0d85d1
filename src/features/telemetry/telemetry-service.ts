import type { AppContext } from '../../context.ts'
import { AppError } from '../../errors.ts'
import type { Telemetry } from './telemetry.ts'

/**
 * The telemetry service on the request context. `Services` in src/services.ts does not declare it yet, so it
 * is read through this one typed accessor; once the integrator adds `telemetry: Telemetry` there, this stays valid.
 */
export function telemetryOf(ctx: AppContext): Telemetry {
  const telemetry = (ctx.services as { telemetry?: Telemetry }).telemetry
  if (!telemetry) throw new AppError('UNAVAILABLE', 'Telemetry is not enabled on this server')
  return telemetry
}
