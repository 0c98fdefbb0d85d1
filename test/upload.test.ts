import { createClient } from 'graphql-ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { backends } from './support/backends.ts'
import { startTestApp, UPLOAD_MUTATION, type TestApp } from './support/test-app.ts'

const DIRTY = '\uFEFFAsset#ID@;Company/Brand;Cost ($);Purchased;ZIP;Notes\r\n' +
  '00042;Dell;"$1,234.50";03/15/2021;01234;"two\nlines"\r\n' +
  '00043;HP;$99.00;12/31/2020;90210;\\N\r\n'

describe.each(backends())('uploads over HTTP on $name', (backend) => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp(backend, { PHERS_MAX_UPLOAD_BYTES: '4096' })
  })
  afterAll(async () => t?.stop())

  it('names and types a dirty CSV (BOM, semicolons, money, US dates, leading zeros, quoted newline, \\N)', async () => {
    const result = await t.upload(DIRTY, { name: 'dirty assets' })
    expect(result.errors).toBeUndefined()
    const dataset = result.data!.uploadDataset
    expect(dataset).toMatchObject({ name: 'dirty assets', tableName: 'dirty_assets', rowCount: 2, version: 1 })
    expect(dataset.columns.map((c: { name: string; type: string }) => [c.name, c.type])).toEqual([
      ['asset_id', 'text'],
      ['company_brand', 'text'],
      ['cost', 'numeric'],
      ['purchased', 'date'],
      ['zip', 'text'],
      ['notes', 'text'],
    ])
    const rows = await t.gql('{ sql(query: "SELECT asset_id, cost, purchased, zip, notes FROM dirty_assets ORDER BY asset_id") { rows } }')
    expect(rows.data.sql.rows).toEqual([
      ['00042', '1234.50', '2021-03-15', '01234', 'two\nlines'],
      ['00043', '99.00', '2020-12-31', '90210', '\\N'],
    ])
  })

  it('rejects a malformed CSV with BAD_CSV naming the line, and leaves nothing behind', async () => {
    const before = await t.gql('{ datasets(first: 100) { edges { node { name } } } }')
    const result = await t.upload('a,b\n1,2\n3,4,5\n', { name: 'ragged' })
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_CSV')
    expect(result.errors?.[0]?.message).toMatch(/line 3/)
    const after = await t.gql('{ datasets(first: 100) { edges { node { name } } } }')
    expect(after.data).toEqual(before.data)
    const table = await t.gql('{ sql(query: "SELECT 1 FROM ragged") { rows } }')
    expect(table.errors?.[0]?.message).toBe('relation "ragged" does not exist')
  })

  it('refuses uploads over the size limit with PAYLOAD_TOO_LARGE', async () => {
    const big = `a,b\n${'1,xxxxxxxxxxxxxxxxxxxxxxxx\n'.repeat(400)}`
    const result = await t.upload(big, { name: 'too big' })
    expect(result.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE')
    expect((await t.gql('{ dataset(name: "too big") { id } }')).data.dataset).toBeNull()
  })

  it('needs a CSRF header on multipart requests and the ANALYST role', async () => {
    const form = new FormData()
    form.set('operations', JSON.stringify({ query: UPLOAD_MUTATION, variables: { file: null } }))
    form.set('map', JSON.stringify({ 0: ['variables.file'] }))
    form.set('0', new Blob(['a\n1\n']), 'x.csv')
    const response = await fetch(`${t.url}/graphql`, { method: 'POST', body: form })
    expect(response.status).toBe(403)
    const viewer = await t.gql('mutation { createApiKey(name: "v", role: VIEWER) { key } }')
    const denied = await t.upload('a\n1\n', { name: 'nope', key: viewer.data.createApiKey.key })
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN')
  })

  it('publishes datasetEvents over graphql-ws to subscribers who may see the dataset', async () => {
    const client = createClient({ url: `${t.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 })
    const events: { kind: string; name: string; dataset: { version: number } | null }[] = []
    const done = new Promise<void>((resolve, reject) => {
      client.subscribe<{ datasetEvents: (typeof events)[number] }>(
        { query: 'subscription { datasetEvents { kind name rowsRead dataset { version } } }' },
        {
          next: ({ data }) => {
            events.push(data!.datasetEvents)
            if (data!.datasetEvents.kind === 'REPLACED') resolve()
          },
          error: reject,
          complete: () => resolve(),
        },
      )
    })
    await new Promise((resolve) => setTimeout(resolve, 200))
    await t.upload('x,y\n1,2\n', { name: 'evented' })
    await t.upload('x,y\n1,2\n3,4\n', { name: 'evented' })
    await done
    await client.dispose()
    const lifecycle = events.filter((e) => e.kind !== 'PROGRESS')
    expect(lifecycle.map((e) => [e.kind, e.name, e.dataset?.version])).toEqual([
      ['CREATED', 'evented', 1],
      ['REPLACED', 'evented', 2],
    ])
  })
})

describe.each(backends())('a redo over HTTP on $name', (backend) => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp(backend, { PHERS_MAX_UPLOAD_BYTES: String(4 << 20) })
  })
  afterAll(async () => t?.stop())

  it('re-reads the buffered upload when a value far past the first chunk changes the types', async () => {
    const body = Array.from({ length: 20_000 }, (_, i) => `${i + 1},01/0${(i % 9) + 1}/2021`).join('\n')
    const result = await t.upload(`n,d\n${body}\nN/A,13/01/2021\n`, { name: 'late' })
    expect(result.errors).toBeUndefined()
    expect(result.data!.uploadDataset.columns.map((c: { name: string; type: string }) => [c.name, c.type])).toEqual([['n', 'text'], ['d', 'date']])
    const rows = await t.gql('{ sql(query: "SELECT n, d FROM late WHERE _row IN (2, 20001) ORDER BY _row") { rows } }')
    expect(rows.data.sql.rows).toEqual([['2', '2021-02-01'], ['N/A', '2021-01-13']])
  })
})
