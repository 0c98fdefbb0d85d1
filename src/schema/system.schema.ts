import { builder } from './builder.ts'

const ServerInfo = builder.simpleObject('ServerInfo', {
  fields: (t) => ({
    instanceId: t.string(),
    database: t.string({ description: '`pglite` (embedded) or `postgres`.' }),
    redis: t.boolean({ description: 'Whether REDIS_URL is configured (L2 cache, cross-instance events).' }),
    version: t.string(),
  }),
})

builder.queryField('server', (t) =>
  t.field({
    type: ServerInfo,
    resolve: (_root, _args, ctx) => ({
      instanceId: ctx.services.config.instanceId,
      database: ctx.services.database.kind,
      redis: Boolean(ctx.services.config.redisUrl),
      version: '0.1.0',
    }),
  }),
)

builder.subscriptionField('heartbeat', (t) =>
  t.field({
    type: 'DateTime',
    description: 'Ticks at the given interval; lets clients check their WebSocket path end to end.',
    args: { intervalMs: t.arg.int({ defaultValue: 1000 }) },
    subscribe: (_root, args, ctx) => ticks(Math.max(100, args.intervalMs ?? 1000), ctx.signal),
    resolve: (date) => date,
  }),
)

async function* ticks(intervalMs: number, signal: AbortSignal): AsyncGenerator<Date> {
  while (!signal.aborted) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
    yield new Date()
  }
}
