// Pothos loads graphql through Node (CommonJS main); import the same copy, not Vite's ESM build.
import { pino } from 'pino'
import { graphql } from 'graphql/index.js'
import type { GraphQLSchema } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends } from '../../../test/support/backends.ts'
import type { AppContext } from '../../context.ts'
import type { UploadedFile } from '../../infra/uploaded-file.ts'
import { buildSchema } from '../../schema/index.ts'
import type { Services } from '../../services.ts'
import type { Viewer } from '../auth/viewer.ts'
import { openDatasetFixture, viewerOf, type DatasetFixture } from './dataset-test-fixture.ts'
import './datasets.schema.ts'

const file = (name: string, text: string): UploadedFile => ({
  name,
  type: 'text/csv',
  stream: async function* () { yield new TextEncoder().encode(text) },
})

describe.each(backends())('datasets GraphQL on $name', (backend) => {
  let f: DatasetFixture
  let schema: GraphQLSchema
  beforeAll(async () => {
    f = await openDatasetFixture(backend)
    schema = buildSchema()
  })
  afterAll(async () => { await f?.stop() })

  const run = async (source: string, variables: Record<string, unknown>, viewer: Viewer = viewerOf('alice')) => {
    const contextValue = { requestId: 'test', logger: pino({ level: 'silent' }), viewer, signal: new AbortController().signal, services: { datasets: f.service } as unknown as Services, loaders: {} } satisfies AppContext
    return graphql({ schema, source, variableValues: variables, contextValue })
  }

  it('uploads, lists with columns and inference, previews, re-types and deletes', async () => {
    const upload = await run(
      'mutation($file: File!, $name: String) { uploadDataset(file: $file, name: $name) { id name tableName rowCount version } }',
      { file: file('Q3 sales.csv', 'Region;Amount (€);Day\nNorth;1.234,50 €;15.03.2021\nSouth;99,00 €;01.12.2021\n'), name: null },
    )
    expect(upload.errors).toBeUndefined()
    const created = (upload.data as { uploadDataset: { id: string } }).uploadDataset
    expect(created).toMatchObject({ name: 'Q3 sales', tableName: 'q3_sales', rowCount: 2, version: 1 })

    const list = await run(`{ datasets(first: 10) { edges { cursor node { name columns { name originalName type inference { type confidence format } } previewRows(first: 1) { columns rows } } } pageInfo { hasNextPage } } }`, {})
    expect(list.errors).toBeUndefined()
    const node = (list.data as any).datasets.edges[0].node
    expect(node.columns).toEqual([
      { name: 'region', originalName: 'Region', type: 'text', inference: { type: 'text', confidence: 1, format: null } },
      { name: 'amount', originalName: 'Amount (€)', type: 'numeric', inference: { type: 'numeric', confidence: 1, format: '1.234,56 €' } },
      { name: 'day', originalName: 'Day', type: 'date', inference: { type: 'date', confidence: 1, format: 'DD.MM.YYYY' } },
    ])
    expect(node.previewRows).toEqual({ columns: ['region', 'amount', 'day'], rows: [['North', '1234.50', '2021-03-15']] })

    const retype = await run('mutation($id: ID!) { setColumnType(datasetId: $id, column: "amount", type: TEXT) { type } }', { id: created.id })
    expect(retype.data).toEqual({ setColumnType: { type: 'text' } })
    const byName = await run('{ dataset(name: "Q3 sales") { version columns { type } } }', {})
    expect(byName.data).toEqual({ dataset: { version: 2, columns: [{ type: 'text' }, { type: 'text' }, { type: 'date' }] } })

    const forbidden = await run('mutation($id: ID!) { deleteDataset(id: $id) { id } }', { id: created.id }, viewerOf('v', 'VIEWER'))
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN')
    const deleted = await run('mutation($id: ID!) { deleteDataset(id: $id) { name } }', { id: created.id })
    expect(deleted.data).toEqual({ deleteDataset: { name: 'Q3 sales' } })
  })

  it('reports a bad CSV as BAD_CSV with the line', async () => {
    const result = await run('mutation($file: File!) { uploadDataset(file: $file) { id } }', { file: file('bad.csv', 'a,b\n1,2,3\n') })
    expect(result.errors?.[0]).toMatchObject({ message: 'line 2: has 3 fields, the header has 2', extensions: { code: 'BAD_CSV' } })
  })
})
