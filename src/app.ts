import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomUUID } from 'node:crypto'
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor'
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention'
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target'
import { createPubSub, createYoga, type YogaServerInstance } from 'graphql-yoga'
import { GraphQLError } from 'graphql'
import type { Config } from './config.ts'
import type { AppContext } from './context.ts'
import { AppError, findAppError } from './errors.ts'
import { createDatabase } from './infra/database.ts'
import { createLogger, type Logger } from './infra/logger.ts'
import { migrateToLatest, migrationsApplied } from './infra/migrate.ts'
import { useRequestBodyLimit } from './infra/use-request-body-limit.ts'
import { createMultipartHandler } from './infra/multipart-handler.ts'
import { attachGraphqlWs, type GraphqlWsServer } from './infra/graphql-ws.ts'
import { createRedisClients, type RedisClients } from './infra/redis.ts'
import { createApiKeyService } from './features/auth/api-keys.ts'
import { createDatabaseRoles } from './features/auth/database-roles.ts'
import { createViewerResolver, isLoopbackHost } from './features/auth/resolve-viewer.ts'
import { createDatasetEvents } from './features/datasets/dataset-events.ts'
import { createDatasetService } from './features/datasets/dataset-service.ts'
import { createCatalogSnapshot } from './features/datasets/catalog-snapshot.ts'
import { createCache } from './features/cache/create-cache.ts'
import { createCacheWarmer } from './features/cache/create-cache-warmer.ts'
import { createChangeMarker } from './features/cache/change-marker.ts'
import { workloadTopStatements } from './features/cache/workload-top-statements.ts'
import { createChat } from './features/chat/create-chat.ts'
import { createOpenAiLlm } from './features/chat/create-openai-llm.ts'
import { createDatasetChatCatalog } from './features/chat/dataset-chat-catalog.ts'
import { createValueIndex } from './features/chat/create-value-index.ts'
import { detectColumnRole } from './features/chat/detect-column-role.ts'
import { createIndexAdvisor } from './features/optimizer/index-advisor.ts'
import { createTelemetry, type Telemetry } from './features/telemetry/telemetry.ts'
import { createRedisProbe } from './features/telemetry/redis-probe.ts'
import { useTelemetry } from './features/telemetry/use-telemetry.ts'
import { createSqlExecutor } from './features/sql/sql-executor.ts'
import { createWorkloadRecorder } from './features/sql/workload-recorder.ts'
import { useContextCacheRelease } from './plugins/use-context-cache-release.ts'
import { createRequestIds } from './plugins/use-request-id.ts'
import { buildSchema } from './schema/index.ts'
import { EXAMPLE_OPERATIONS } from './schema/example-operations.ts'
import type { PubSub, Services } from './services.ts'

export interface App {
  config: Config
  logger: Logger
  services: Services
  server: Server
  yoga: YogaServerInstance<Record<string, unknown>, AppContext>
  /** Listens on config.host:config.port (0 picks a free port); resolves with the base URL. */
  start(): Promise<string>
  stop(): Promise<void>
}

const CSRF_HEADERS = ['x-graphql-yoga-csrf', 'apollo-require-preflight', 'graphql-preflight', 'x-phers-client']

export interface AppOverrides {
  logger?: Logger
}

/** The composition root: builds infrastructure and features once, wires them, and owns their shutdown. */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger(config.logLevel)
  const allowAnonymous = !config.adminKey && isLoopbackHost(config.host)
  if (!config.adminKey && !allowAnonymous) {
    throw new Error(`refusing to listen on ${config.host} without PHERS_ADMIN_KEY: anonymous admin access is only allowed on loopback`)
  }
  const stops: (() => Promise<void>)[] = []
  const database = await createDatabase({ config: config.database, logger })
  stops.unshift(() => database.stop())
  try {
    await migrateToLatest(database.db)
    const roles = createDatabaseRoles({ db: database.db, databaseName: database.name })
    await roles.ensureBase()

    const redis: RedisClients | null = config.redisUrl ? createRedisClients(config.redisUrl, logger) : null
    if (redis) stops.unshift(() => redis.stop())
    const pubsub: PubSub = createPubSub(
      redis ? { eventTarget: createRedisEventTarget({ publishClient: redis.publisher, subscribeClient: redis.subscriber }) } : {},
    ) as PubSub

    const apiKeys = createApiKeyService({ db: database.db, adminKey: config.adminKey })
    const resolveViewer = createViewerResolver({ apiKeys, allowAnonymous })
    let ws: GraphqlWsServer | null = null
    let cacheStats: () => Record<string, number> = () => ({})
    const telemetry: Telemetry = createTelemetry({
      db: database.db,
      pubsub,
      logger,
      instanceId: config.instanceId,
      sources: {
        pgPool: () => database.poolStats(),
        ...(redis ? { redis: createRedisProbe(redis.command) } : {}),
        openSubscriptions: () => ws?.openSubscriptions() ?? 0,
        cacheStats: () => cacheStats(),
      },
      rules: config.telemetry.alertRules,
      options: {
        sampleIntervalMs: config.telemetry.sampleIntervalMs,
        baselineIntervalMs: config.telemetry.baselineIntervalMs,
        baseline: { warmupSamples: config.telemetry.baselineWarmupSamples },
      },
      // Bottleneck plans go through the optimizer's EXPLAIN: same guard, reader role and limits as `sql`.
      explainPlan: async ({ sql, viewerId, analyze }) => {
        const viewer = await apiKeys.viewerById(viewerId)
        if (!viewer) throw new AppError('FORBIDDEN', 'the API key that ran this statement is revoked')
        return (await optimizer.explain(sql, viewer, { analyze })).raw
      },
    })
    stops.unshift(async () => telemetry.stop())
    const workload = createWorkloadRecorder({ db: database.db, logger })
    stops.unshift(async () => workload.stop())
    const cache = createCache({
      redis: redis?.command ?? null,
      subscriber: redis?.subscriber ?? null,
      logger,
      prefix: config.cache.prefix,
      instanceId: config.instanceId,
      limits: { l1Bytes: config.cache.l1Bytes, lockMs: config.sql.statementTimeoutMs },
    })
    stops.unshift(() => cache.stop())
    cacheStats = () => numericFields(cache.stats())
    const catalogMarker = redis ? createChangeMarker({ redis: redis.command, key: `${config.cache.prefix}:catalog:marker`, logger }) : null
    const catalog = createCatalogSnapshot({ db: database.db, shared: catalogMarker })
    const sqlExecutor = createSqlExecutor({
      database,
      roles,
      resolveRelations: catalog.resolveRelations,
      cache,
      workload,
      logger,
      limits: config.sql,
      // Monitoring off: no hook at all, so the executor does not even assemble the event.
      onStatement: config.telemetry.enabled ? (event) => {
        telemetry.recordStatement({
          fingerprint: event.fingerprint ?? 'unparsed',
          sql: event.sql,
          durationMs: event.durationMs,
          rows: event.rows,
          error: event.errorCode,
          cacheLevel: event.cacheLevel,
          datasets: event.datasetIds,
          viewerId: event.viewerId,
        })
      } : undefined,
    })
    stops.unshift(async () => sqlExecutor.stop())
    const cacheWarmer = createCacheWarmer({
      cache,
      run: (statement, signal) => sqlExecutor.run({ ...statement, signal, source: 'warm' }),
      topStatements: workloadTopStatements({ top: (options) => workload.top(options), viewerOf: (scope) => apiKeys.viewerById(scope) }),
      logger,
    })
    stops.unshift(async () => cacheWarmer.stop())
    const valueIndex = createValueIndex({ db: database.db })
    const datasetEvents = createDatasetEvents({ pubsub })
    const datasets = datasetEvents.withProgress(
      createDatasetService({
        database,
        roles,
        logger,
        limits: { maxUploadBytes: config.maxUploadBytes },
        hooks: {
          detectRole: detectColumnRole,
          onChanged: async (dataset, change) => {
            // Order matters: the catalog counter and cache generation move before the client hears back.
            await catalog.changed()
            await cache.datasetChanged(dataset.id)
            datasetEvents.onChanged(dataset, change)
            telemetry.activity.record({
              actor: dataset.ownerId,
              action: `dataset.${change}`,
              subject: dataset.id,
              detail: { name: dataset.name, version: dataset.version, rows: dataset.rowCount },
            })
            valueIndex.invalidate(dataset.id)
            if (change !== 'deleted') {
              cacheWarmer.schedule(dataset.id)
              void datasets
                .columns([dataset.id])
                .then(([columns]) => valueIndex.build(dataset, columns ?? []))
                .catch((error) => logger.warn({ err: error, datasetId: dataset.id }, 'value index build failed'))
            }
          },
        },
      }),
    )
    stops.unshift(() => datasets.stop())
    const chat = createChat({
      db: database.db,
      catalog: createDatasetChatCatalog({ datasets, db: database.db }),
      runner: sqlExecutor,
      llm: config.llm ? createOpenAiLlm(config.llm) : null,
      logger: logger.child({ component: 'chat' }),
      valueIndex,
    })
    stops.unshift(async () => chat.stop())
    const optimizer = createIndexAdvisor({
      database,
      roles,
      workload,
      logger,
      limits: {
        statementTimeoutMs: config.sql.statementTimeoutMs,
        workMem: config.sql.workMem,
        embeddedMaxCost: config.sql.embeddedMaxCost,
        maxResultRows: config.sql.maxResultRows,
      },
      autoApply: config.autoIndex,
      activity: telemetry.activity,
      onEvent: (event) => logger.info({ event }, 'index advisor event'),
    })
    stops.unshift(async () => optimizer.stop())
    const services: Services = {
      config,
      logger,
      database,
      pubsub,
      apiKeys,
      roles,
      datasets,
      datasetEvents,
      sql: sqlExecutor,
      workload,
      cache,
      cacheWarmer,
      optimizer,
      chat,
      telemetry,
      activity: telemetry.activity,
    }

    const requestIds = createRequestIds()
    const yoga = createYoga<Record<string, unknown>, AppContext>({
      schema: buildSchema(),
      graphqlEndpoint: '/graphql',
      landingPage: false,
      // Replaced by useRequestBodyLimit: Yoga's wraps every request body in a stream pipe (see there).
      maxRequestBodySize: false,
      logging: logger.child({ component: 'yoga' }),
      graphiql: { title: 'PHERS', defaultQuery: EXAMPLE_OPERATIONS, subscriptionsProtocol: 'WS' },
      maskedErrors: {
        maskError: (error, message) => maskError(error, message, logger),
      },
      plugins: [
        ...(config.telemetry.enabled ? [useTelemetry(telemetry)] : []),
        requestIds.plugin,
        useContextCacheRelease(),
        useCSRFPrevention({ requestHeaders: CSRF_HEADERS }),
        useRequestBodyLimit(config.maxRequestBytes),
        EnvelopArmorPlugin({
          maxDepth: { n: 12, ignoreIntrospection: false },
          maxAliases: { n: 30 },
          maxTokens: { n: 5_000 },
          maxDirectives: { n: 30 },
          costLimit: { maxCost: 20_000 },
          blockFieldSuggestion: { enabled: false },
        }),
      ],
      context: async (initial) => {
        const headers = initial.request?.headers
        const params = (initial as { connectionParams?: Record<string, unknown> }).connectionParams
        const authorization =
          (typeof params?.authorization === 'string' ? params.authorization : null) ??
          (typeof params?.Authorization === 'string' ? params.Authorization : null) ??
          headers?.get('authorization') ??
          null
        const requestId = requestIds.of(initial.request)
        return {
          requestId,
          logger: logger.child({ requestId }),
          viewer: await resolveViewer(authorization),
          signal: initial.request?.signal ?? new AbortController().signal,
          services,
          loaders: {},
        }
      },
    })

    /** Start-up warming: the most frequent recent statements of every dataset, in the background. */
    async function warmAll(): Promise<void> {
      try {
        const rows = await database.db.selectFrom('phers.datasets').select('id').execute()
        for (const row of rows) cacheWarmer.schedule(row.id)
      } catch (error) {
        logger.warn({ err: error }, 'start-up cache warming skipped')
      }
    }

    const handleMultipart = createMultipartHandler(yoga, { maxFileSize: config.maxUploadBytes, csrfHeaders: CSRF_HEADERS })
    let migrated = false
    const ready = async () => {
      await database.db.selectNoFrom((eb) => eb.lit(1).as('one')).execute()
      migrated ||= await migrationsApplied(database.db)
      return migrated
    }
    const server = createServer((req, res) => {
      route(req, res).catch((error) => {
        logger.error({ err: error }, 'request failed')
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL' } }] }))
      })
    })
    // Large uploads take a while; the default 5-minute request timeout would cut them.
    server.requestTimeout = 60 * 60 * 1000

    async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const url = new URL(req.url ?? '/', 'http://localhost')
      if (req.method === 'GET' && url.pathname === '/health') return json(res, 200, { status: 'ok' })
      if (req.method === 'GET' && url.pathname === '/metrics') {
        res.writeHead(200, { 'content-type': telemetry.registry.contentType })
        res.end(await telemetry.registry.metrics())
        return
      }
      if (req.method === 'GET' && url.pathname === '/ready') {
        const ok = await ready().catch(() => false)
        return json(res, ok ? 200 : 503, { status: ok ? 'ready' : 'not ready', database: database.kind })
      }
      if (req.method === 'POST' && url.pathname === '/graphql' && /^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
        return handleMultipart(req, res)
      }
      await yoga.requestListener(req, res)
    }

    const app: App = {
      config,
      logger,
      services,
      server,
      yoga,
      async start() {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject)
          server.listen(config.port, config.host, () => resolve())
        })
        ws = attachGraphqlWs(server, yoga, '/graphql')
        if (config.telemetry.enabled) await telemetry.start()
        void warmAll()
        const { port } = server.address() as AddressInfo
        const host = config.host.includes(':') ? `[${config.host}]` : config.host
        return `http://${host}:${port}`
      },
      async stop() {
        await ws?.stop()
        server.closeAllConnections()
        await new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()))
        for (const stop of stops) await stop().catch((error) => logger.warn({ err: error }, 'stop failed'))
      },
    }
    return app
  } catch (error) {
    for (const stop of stops) await stop().catch(() => {})
    throw error
  }
}

/** The numeric figures of a stats object, flattened one level (`l2.errors`), for resource samples. */
function numericFields(stats: object): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [key, value] of Object.entries(stats)) {
    if (typeof value === 'number') out[key] = value
    else if (value && typeof value === 'object') {
      for (const [inner, v] of Object.entries(value)) if (typeof v === 'number') out[`${key}.${inner}`] = v
    }
  }
  return out
}

const isGraphqlError = (error: unknown): error is GraphQLError =>
  error instanceof GraphQLError || (error instanceof Error && error.name === 'GraphQLError')

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
  res.end(JSON.stringify(body))
}

/** Expected errors pass through; anything else is logged with its cause and shown as a generic INTERNAL error. */
function maskError(error: unknown, message: string, logger: Logger): Error {
  const expected = findAppError(error)
  if (expected) return expected
  // GraphQL's own errors (syntax, validation, variables) carry no original error: they are the client's to see.
  if (isGraphqlError(error) && !error.originalError) return error
  const original = isGraphqlError(error) ? error.originalError : error
  const id = randomUUID()
  logger.error({ err: original, errorId: id }, 'unexpected error')
  return new AppError('INTERNAL', `${message} (error id ${id})`)
}
