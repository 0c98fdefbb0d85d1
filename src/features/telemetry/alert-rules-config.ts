import { z } from 'zod'
import { SEVERITIES, type Severity } from './telemetry-types.ts'

export interface RuleBase {
  enabled: boolean
  severity: Severity
  forMs: number
  clearForMs: number
}

/** Every built-in rule with its defaults; `createTelemetry({ rules })` overrides any field per rule. */
export interface AlertRulesConfig {
  /** p95 over `windowMs` above `factor` × baseline p95; resolves below `resolveFactor` × baseline. */
  latencyRegression: RuleBase & { factor: number; resolveFactor: number; windowMs: number; minCount: number; minLatencyMs: number }
  errorRate: RuleBase & { ratio: number; resolveRatio: number; windowMs: number; minCount: number }
  eventLoopDelay: RuleBase & { p99Ms: number; resolveP99Ms: number }
  /** Heap after GC rising steadily: slope above `minSlopeBytesPerMin` with `minRisingShare` of steps up. */
  heapGrowth: RuleBase & { minutes: number; minSlopeBytesPerMin: number; minRisingShare: number }
  pgPoolSaturation: RuleBase
  /** Recent hit ratio below `dropFactor` × long-run ratio; resolves above `resolveFactor` × long-run. */
  cacheHitCollapse: RuleBase & { dropFactor: number; resolveFactor: number; minRequests: number; minLongRatio: number }
  redisDown: RuleBase
}

export const DEFAULT_ALERT_RULES: AlertRulesConfig = {
  latencyRegression: { enabled: true, severity: 'WARNING', forMs: 30_000, clearForMs: 0, factor: 3, resolveFactor: 2, windowMs: 60_000, minCount: 5, minLatencyMs: 5 },
  errorRate: { enabled: true, severity: 'CRITICAL', forMs: 30_000, clearForMs: 0, ratio: 0.05, resolveRatio: 0.02, windowMs: 60_000, minCount: 10 },
  eventLoopDelay: { enabled: true, severity: 'WARNING', forMs: 10_000, clearForMs: 5_000, p99Ms: 200, resolveP99Ms: 100 },
  heapGrowth: { enabled: true, severity: 'WARNING', forMs: 0, clearForMs: 0, minutes: 15, minSlopeBytesPerMin: 2 * 1024 ** 2, minRisingShare: 0.8 },
  pgPoolSaturation: { enabled: true, severity: 'WARNING', forMs: 10_000, clearForMs: 5_000 },
  cacheHitCollapse: { enabled: true, severity: 'WARNING', forMs: 30_000, clearForMs: 0, dropFactor: 0.5, resolveFactor: 0.8, minRequests: 20, minLongRatio: 0.2 },
  redisDown: { enabled: true, severity: 'CRITICAL', forMs: 5_000, clearForMs: 0 },
}

export type AlertRulesOverrides = { [K in keyof AlertRulesConfig]?: Partial<AlertRulesConfig[K]> }

export function mergeAlertRules(overrides: AlertRulesOverrides = {}): AlertRulesConfig {
  const merged = { ...DEFAULT_ALERT_RULES }
  for (const name of Object.keys(DEFAULT_ALERT_RULES) as (keyof AlertRulesConfig)[]) {
    Object.assign(merged, { [name]: { ...DEFAULT_ALERT_RULES[name], ...overrides[name] } })
  }
  return merged
}

/**
 * Strict shape of `AlertRulesOverrides` for values that arrive as JSON (PHERS_ALERT_RULES): unknown rules or
 * fields, and values of the wrong type, are refused rather than silently ignored.
 */
export const alertRulesOverridesSchema = z.strictObject(
  Object.fromEntries(
    Object.entries(DEFAULT_ALERT_RULES).map(([name, defaults]) => [
      name,
      z.strictObject(Object.fromEntries(Object.entries(defaults).map(([field, value]) => [field, fieldSchema(value)]))).partial().optional(),
    ]),
  ),
) as unknown as z.ZodType<AlertRulesOverrides>

/** Each field takes the type of its default; the only string field is the severity. */
function fieldSchema(value: unknown): z.ZodType {
  if (typeof value === 'boolean') return z.boolean()
  if (typeof value === 'number') return z.number().nonnegative()
  return z.enum(SEVERITIES as [Severity, ...Severity[]])
}
