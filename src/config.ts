import { z } from 'zod'
import { alertRulesOverridesSchema, type AlertRulesOverrides } from './features/telemetry/alert-rules-config.ts'

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes')
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max)
const url = (protocols: string[]) =>
  z.string().refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol)
    } catch {
      return false
    }
  }, `must be a URL starting with ${protocols.join(' or ')}//`)

/** Every environment variable PHERS reads, with its default. README's configuration table mirrors this. */
const envSchema = z.object({
  PORT: int(0, 65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  PHERS_DATA_DIR: z.string().min(1).default('./.phers'),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  PHERS_ADMIN_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PHERS_STATEMENT_TIMEOUT_MS: int(100, 600_000).default(5_000),
  PHERS_PAGE_ROWS: int(1, 100_000).default(1_000),
  PHERS_MAX_PAGE_ROWS: int(1, 1_000_000).default(10_000),
  PHERS_MAX_RESULT_ROWS: int(1, 10_000_000).default(100_000),
  PHERS_WORK_MEM: z.string().regex(/^\d+(kB|MB|GB)$/, 'must look like 64MB').default('64MB'),
  PHERS_MAX_UPLOAD_BYTES: int(1, Number.MAX_SAFE_INTEGER).default(1024 ** 3),
  PHERS_MAX_REQUEST_BYTES: int(1, Number.MAX_SAFE_INTEGER).default(25_000_000),
  PHERS_EMBEDDED_MAX_COST: int(1, Number.MAX_SAFE_INTEGER).default(2_000_000),
  PHERS_CACHE_L1_BYTES: int(0, Number.MAX_SAFE_INTEGER).default(64 * 1024 ** 2),
  PHERS_CACHE_PREFIX: z.string().min(1).default('phers'),
  PHERS_LLM_URL: url(['http:', 'https:']).optional(),
  PHERS_LLM_MODEL: z.string().min(1).optional(),
  PHERS_LLM_KEY: z.string().optional(),
  PHERS_AUTO_INDEX: bool.default(false),
  PHERS_INSTANCE_ID: z.string().min(1).optional(),
  PHERS_REQUIRE_SERVICES: bool.default(false),
  PHERS_TELEMETRY: bool.default(true),
  PHERS_TELEMETRY_SAMPLE_MS: int(100, 60_000).default(1_000),
  PHERS_TELEMETRY_BASELINE_MS: int(100, 3_600_000).default(60_000),
  PHERS_TELEMETRY_BASELINE_WARMUP: int(1, 10_000).default(5),
  PHERS_ALERT_RULES: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object' })
        return z.NEVER
      }
    })
    .pipe(alertRulesOverridesSchema)
    .optional(),
})

export type Env = Record<string, string | undefined>

export interface Config {
  port: number
  host: string
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string | null }
  redisUrl: string | null
  adminKey: string | null
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL']
  sql: {
    statementTimeoutMs: number
    pageRows: number
    maxPageRows: number
    maxResultRows: number
    workMem: string
    /** PGlite cannot interrupt a running statement, so expensive plans are refused up front. */
    embeddedMaxCost: number
  }
  maxUploadBytes: number
  /** Body limit of a GraphQL request that is not an upload (JSON). */
  maxRequestBytes: number
  cache: { l1Bytes: number; prefix: string }
  llm: { url: string; model: string; key: string | null } | null
  autoIndex: boolean
  instanceId: string
  requireServices: boolean
  telemetry: {
    /** Off: no operation/statement recording and no sampling timers (the baseline for overhead benchmarks). */
    enabled: boolean
    sampleIntervalMs: number
    baselineIntervalMs: number
    baselineWarmupSamples: number
    alertRules: AlertRulesOverrides
  }
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n  ${issues.join('\n  ')}`)
    this.name = 'ConfigError'
  }
}

/** Parses the environment once; a bad value throws a ConfigError naming the variable. */
export function loadConfig(env: Env): Config {
  const cleaned = Object.fromEntries(
    Object.keys(envSchema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]),
  )
  const parsed = envSchema.safeParse(cleaned)
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`))
  }
  const e = parsed.data
  if (e.PHERS_LLM_URL && !e.PHERS_LLM_MODEL) {
    throw new ConfigError(['PHERS_LLM_MODEL: required when PHERS_LLM_URL is set'])
  }
  return {
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'pglite', dataDir: e.PHERS_DATA_DIR === ':memory:' ? null : e.PHERS_DATA_DIR },
    redisUrl: e.REDIS_URL ?? null,
    adminKey: e.PHERS_ADMIN_KEY ?? null,
    logLevel: e.LOG_LEVEL,
    sql: {
      statementTimeoutMs: e.PHERS_STATEMENT_TIMEOUT_MS,
      pageRows: Math.min(e.PHERS_PAGE_ROWS, e.PHERS_MAX_PAGE_ROWS),
      maxPageRows: e.PHERS_MAX_PAGE_ROWS,
      maxResultRows: e.PHERS_MAX_RESULT_ROWS,
      workMem: e.PHERS_WORK_MEM,
      embeddedMaxCost: e.PHERS_EMBEDDED_MAX_COST,
    },
    maxUploadBytes: e.PHERS_MAX_UPLOAD_BYTES,
    maxRequestBytes: e.PHERS_MAX_REQUEST_BYTES,
    cache: { l1Bytes: e.PHERS_CACHE_L1_BYTES, prefix: e.PHERS_CACHE_PREFIX },
    llm: e.PHERS_LLM_URL
      ? { url: e.PHERS_LLM_URL, model: e.PHERS_LLM_MODEL!, key: e.PHERS_LLM_KEY ?? null }
      : null,
    autoIndex: e.PHERS_AUTO_INDEX,
    instanceId: e.PHERS_INSTANCE_ID ?? `${process.pid}`,
    requireServices: e.PHERS_REQUIRE_SERVICES,
    telemetry: {
      enabled: e.PHERS_TELEMETRY,
      sampleIntervalMs: e.PHERS_TELEMETRY_SAMPLE_MS,
      baselineIntervalMs: e.PHERS_TELEMETRY_BASELINE_MS,
      baselineWarmupSamples: e.PHERS_TELEMETRY_BASELINE_WARMUP,
      alertRules: e.PHERS_ALERT_RULES ?? {},
    },
  }
}
