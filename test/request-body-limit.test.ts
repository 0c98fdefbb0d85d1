import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends } from './support/backends.ts'
import { startTestApp, type TestApp } from './support/test-app.ts'

const LIMIT = 2_000

/** A POST without Content-Length: the body goes out chunked, in `parts`. */
function postChunked(url: string, parts: string[]): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const target = new URL(`${url}/graphql`)
    const req = request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'x-phers-client': 'test' } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }))
    })
    req.on('error', reject)
    for (const part of parts) req.write(part)
    req.end()
  })
}

const padded = (bytes: number) => JSON.stringify({ query: `{ __typename }${' '.repeat(bytes)}` })

// An HTTP-layer limit: the database backend plays no part, so one backend is enough.
describe('GraphQL request body limit', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp(backends()[0]!, { PHERS_MAX_REQUEST_BYTES: String(LIMIT) })
  })
  afterAll(async () => t?.stop())

  const post = (body: string) => fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-phers-client': 'test' }, body })

  it('serves a body within the limit and refuses a longer declared one with PAYLOAD_TOO_LARGE', async () => {
    const small = await post(padded(LIMIT - 200))
    expect(small.status).toBe(200)
    expect(await small.json()).toEqual({ data: { __typename: 'Query' } })
    const large = await post(padded(LIMIT))
    expect(large.status).toBe(413)
    expect((await large.json()).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE')
    expect((await t.gql('{ __typename }')).data).toEqual({ __typename: 'Query' })
  })

  it('counts a chunked body (no Content-Length) while reading it', async () => {
    const within = padded(LIMIT - 200)
    const ok = await postChunked(t.url, [within.slice(0, 500), within.slice(500)])
    expect(ok).toEqual({ status: 200, body: { data: { __typename: 'Query' } } })
    const over = padded(LIMIT * 3)
    const refused = await postChunked(t.url, [over.slice(0, LIMIT), over.slice(LIMIT, 2 * LIMIT), over.slice(2 * LIMIT)])
    expect(refused.status).toBe(413)
    expect(refused.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE')
  })

  it('refuses a Content-Length that is not one byte count with BAD_INPUT', async () => {
    const response = await t.app.yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '12, 12' },
      body: JSON.stringify({ query: '{ __typename }' }),
    })
    expect(response.status).toBe(400)
    expect((await response.json()).errors[0].extensions.code).toBe('BAD_INPUT')
  })
})
