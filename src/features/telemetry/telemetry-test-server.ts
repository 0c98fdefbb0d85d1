import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target'
import type { GraphQLSchema } from 'graphql'
import { createPubSub, createYoga } from 'graphql-yoga'
import { Redis } from 'ioredis'
import { pino } from 'pino'
import type { AppContext } from '../../context.ts'
import { attachGraphqlWs } from '../../infra/graphql-ws.ts'
import { builder } from '../../schema/builder.ts'
import type { PubSub, Services } from '../../services.ts'
import type { AlertRulesOverrides } from './alert-rules-config.ts'
import { createTelemetry, type Telemetry, type TelemetryOptions } from './telemetry.ts'
import { testBackends } from './telemetry-test-db.ts'
import { useTelemetry } from './use-telemetry.ts'
import './telemetry.schema.ts'

/**
 * Test-only: a small GraphQL server with telemetry wired the way createApp will wire it (Yoga + graphql-ws on
 * /graphql, optional Redis event target), so the subscriptions can be tested through real WebSocket clients
 * before the integrator lands the wiring in src/app.ts.
 */
export interface TelemetryTestServer {
  url: string
  wsUrl: string
  telemetry: Telemetry
  stop(): Promise<void>
}

/** Only the telemetry fields, so these tests do not depend on other features' schema work in progress. */
export function telemetryOnlySchema(): GraphQLSchema {
  const full = builder.toSchema({ sortSchema: false })
  const config = full.toConfig()
  const mutation = config.mutation && Object.keys(config.mutation.getFields()).length > 0 ? config.mutation : undefined
  // The schema's own constructor: under vitest, Pothos and this file can load different copies of graphql.
  const Schema = full.constructor as typeof GraphQLSchema
  return new Schema({ ...config, mutation, types: config.types.filter((t) => t.name !== 'Mutation' || mutation) })
}

export async function startTelemetryTestServer(opts: {
  instanceId: string
  redisUrl?: string | null
  rules?: AlertRulesOverrides
  options?: TelemetryOptions
  /** false: no plugin and no sampling timers, the baseline for overhead benchmarks. Default true. */
  monitoring?: boolean
}): Promise<TelemetryTestServer> {
  const monitoring = opts.monitoring ?? true
  const logger = pino({ level: 'silent' })
  const database = await testBackends()[0]!.open()
  const redis = opts.redisUrl ? [new Redis(opts.redisUrl), new Redis(opts.redisUrl)] as const : null
  for (const client of redis ?? []) client.on('error', (error) => logger.debug({ err: error }, 'redis error'))
  const pubsub = createPubSub(redis ? { eventTarget: createRedisEventTarget({ publishClient: redis[0], subscribeClient: redis[1] }) } : {}) as PubSub
  const telemetry = createTelemetry({ db: database.db, pubsub, logger, instanceId: opts.instanceId, rules: opts.rules, options: opts.options })
  if (monitoring) await telemetry.start()
  const services = { logger, pubsub, telemetry } as unknown as Services
  const yoga = createYoga<Record<string, unknown>, AppContext>({
    schema: telemetryOnlySchema(),
    logging: false,
    plugins: monitoring ? [useTelemetry(telemetry)] : [],
    context: () => ({
      requestId: 'test',
      viewer: { id: 'admin', name: 'admin', role: 'ADMIN', anonymous: false },
      signal: new AbortController().signal,
      services,
      loaders: {},
    }),
  })
  const server = createServer((req, res) => {
    if (req.url === '/metrics') {
      void telemetry.registry.metrics().then((body) => res.writeHead(200, { 'content-type': telemetry.registry.contentType }).end(body))
      return
    }
    void yoga.requestListener(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const ws = attachGraphqlWs(server, yoga, '/graphql')
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    telemetry,
    async stop() {
      await ws.stop()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await telemetry.stop()
      if (redis) for (const client of redis) client.disconnect()
      await database.stop()
    },
  }
}
