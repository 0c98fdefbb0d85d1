import { createSchema, createYoga } from 'graphql-yoga'
import { describe, expect, it } from 'vitest'
import { createRequestIds } from './use-request-id.ts'

function server() {
  const ids = createRequestIds()
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: 'type Query { requestId: String! }',
      resolvers: { Query: { requestId: (_root: unknown, _args: unknown, ctx: { requestId: string }) => ctx.requestId } },
    }),
    context: ({ request }) => ({ requestId: ids.of(request) }),
    plugins: [ids.plugin],
  })
  return (headers: Record<string, string> = {}) =>
    yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: '{ requestId }' }),
    })
}

describe('createRequestIds', () => {
  it('echoes a sane client id in x-request-id, the same the context carries', async () => {
    const response = await server()({ 'x-request-id': 'client-42.a:b' })
    expect(response.headers.get('x-request-id')).toBe('client-42.a:b')
    expect(await response.json()).toEqual({ data: { requestId: 'client-42.a:b' } })
  })

  it('replaces an unusable client id with a new UUID, still matching the context', async () => {
    const send = server()
    const cases: Record<string, string>[] = [{ 'x-request-id': 'has spaces and "quotes"' }, { 'x-request-id': 'x'.repeat(101) }, {}]
    for (const sent of cases) {
      const response = await send(sent)
      const id = response.headers.get('x-request-id')
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
      expect(await response.json()).toEqual({ data: { requestId: id } })
    }
  })
})
