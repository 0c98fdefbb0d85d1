import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends } from './support/backends.ts'
import { startTestApp, type TestApp } from './support/test-app.ts'

describe.each(backends())('server on $name', (backend) => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp(backend)
  })
  afterAll(async () => t?.stop())

  it('answers /health and /ready', async () => {
    expect((await fetch(`${t.url}/health`)).status).toBe(200)
    const ready = await fetch(`${t.url}/ready`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toMatchObject({ status: 'ready' })
  })

  it('serves GraphiQL with example operations on GET /graphql', async () => {
    const page = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } })
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('GraphiQL')
    expect(html).toContain('ByManufacturer')
  })

  it('serves anonymous loopback requests as admin and authenticates created keys', async () => {
    const me = await t.gql('{ viewer { id role anonymous } }')
    expect(me.data.viewer).toEqual({ id: 'admin', role: 'ADMIN', anonymous: true })
    const created = await t.gql('mutation { createApiKey(name: "reader", role: VIEWER) { key apiKey { id role } } }')
    const key = created.data.createApiKey.key as string
    const asViewer = await t.gql('{ viewer { role anonymous } }', {}, { key })
    expect(asViewer.data.viewer).toEqual({ role: 'VIEWER', anonymous: false })
    const denied = await t.gql('mutation { createApiKey(name: "x", role: ADMIN) { key } }', {}, { key })
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN')
    await t.gql('mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: created.data.createApiKey.apiKey.id })
    const revoked = await t.gql('{ viewer { role } }', {}, { key })
    expect(revoked.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED')
  })

  it('echoes the request id in x-request-id, the client\'s when sane', async () => {
    const send = (headers: Record<string, string>) =>
      fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ __typename }' }),
      })
    expect((await send({ 'x-request-id': 'support-ticket-7' })).headers.get('x-request-id')).toBe('support-ticket-7')
    expect((await send({})).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('rejects a malformed Authorization header with UNAUTHENTICATED', async () => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic abc' },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    })
    const body = await response.json()
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED')
  })

  it('blocks over-deep queries before execution', async () => {
    const deep = `{ ${'__schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } } }'} }`
    const result = await t.gql(deep)
    expect(result.data).toBeUndefined()
    expect(result.errors?.[0]?.message).toMatch(/depth/i)
  })
})
