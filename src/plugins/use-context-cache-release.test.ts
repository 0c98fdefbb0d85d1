import SchemaBuilder from '@pothos/core'
import ScopeAuthPlugin, { RequestCache } from '@pothos/plugin-scope-auth'
import { createYoga } from 'graphql-yoga'
import { describe, expect, it } from 'vitest'
import { useContextCacheRelease } from './use-context-cache-release.ts'

type Context = { seen: { context: object; cache: unknown }[] }

async function* ticks() {
  yield 1
  yield 2
}

/** A scoped query and a scoped subscription; each resolver notes its context and the auth cache Pothos used. */
function server(release: boolean) {
  const builder = new SchemaBuilder<{ Context: Context; AuthScopes: { viewer: boolean } }>({
    plugins: [ScopeAuthPlugin],
    scopeAuth: { authScopes: () => ({ viewer: true }) },
  })
  const note = (ctx: Context) => ctx.seen.push({ context: ctx, cache: RequestCache.fromContext(ctx, builder as never) })
  builder.queryType({
    fields: (t) => ({ hello: t.string({ authScopes: { viewer: true }, resolve: (_root, _args, ctx) => (note(ctx), 'hi') }) }),
  })
  builder.subscriptionType({
    fields: (t) => ({
      ticks: t.int({
        authScopes: { viewer: true },
        // Noted when the stream is set up, before its result goes out, then again at each event.
        subscribe: (_root, _args, ctx) => (note(ctx), ticks()),
        resolve: (tick: number, _args, ctx) => (note(ctx), tick),
      }),
    }),
  })
  const seen: Context['seen'] = []
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema: builder.toSchema(),
    context: () => ({ seen }),
    plugins: release ? [useContextCacheRelease()] : [],
  })
  return { yoga, builder, seen }
}

const post = (query: string, accept = 'application/json') => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', accept },
  body: JSON.stringify({ query }),
})

describe('useContextCacheRelease', () => {
  it('drops the auth cache of a request once its result is complete', async () => {
    const { yoga, builder, seen } = server(true)
    const answer = await (await yoga.fetch('http://localhost/graphql', post('{ hello }'))).json()
    expect(answer).toEqual({ data: { hello: 'hi' } })
    const [{ context, cache }] = seen as [Context['seen'][number]]
    // Asked again after the request, Pothos finds no entry for that context and builds a new cache.
    expect(RequestCache.fromContext(context as Context, builder as never)).not.toBe(cache)
  })

  it('without it, the entry stays until the collector clears the WeakMap (the control)', async () => {
    const { yoga, builder, seen } = server(false)
    await (await yoga.fetch('http://localhost/graphql', post('{ hello }'))).json()
    const [{ context, cache }] = seen as [Context['seen'][number]]
    expect(RequestCache.fromContext(context as Context, builder as never)).toBe(cache)
  })

  it('keeps a stream\'s cache while it runs: a subscription\'s events see the one its set-up used', async () => {
    const { yoga, seen } = server(true)
    const text = await (await yoga.fetch('http://localhost/graphql', post('subscription { ticks }', 'text/event-stream'))).text()
    expect(text).toContain('{"data":{"ticks":1}}')
    expect(text).toContain('{"data":{"ticks":2}}')
    expect(seen).toHaveLength(3)
    expect(seen[1]!.cache).toBe(seen[0]!.cache)
    expect(seen[2]!.cache).toBe(seen[0]!.cache)
  })
})
