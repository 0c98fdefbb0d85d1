// Pothos loads graphql through Node (CommonJS main); import the same copy, not Vite's ESM build.
import { graphql } from 'graphql/index.js'
import { describe, expect, it } from 'vitest'
import { buildSchema } from '../../schema/index.ts'
import type { AppContext } from '../../context.ts'
import type { SqlRequest, SqlResult } from './sql-types.ts'
import './sql.schema.ts'

const result: SqlResult = {
  columns: [{ name: 'n', type: 'int8' }],
  rows: [['9007199254740993']],
  rowCount: 3,
  durationMs: 1.5,
  pageInfo: { hasNextPage: true, endCursor: 'c2' },
  fingerprint: 'abc',
  datasets: [{ id: 'd1', tableName: 'assets', version: 2 }],
  cached: false,
  cacheLevel: null,
}

describe('sql schema', () => {
  it('passes query, page and abort signal to the runner and maps the result', async () => {
    const requests: SqlRequest[] = []
    const signal = new AbortController().signal
    const viewer = { id: 'alice', name: 'alice', role: 'VIEWER' as const, anonymous: false }
    const contextValue = { viewer, signal, services: { sql: { run: async (r: SqlRequest) => (requests.push(r), result) } } } as unknown as AppContext
    const response = await graphql({
      schema: buildSchema(),
      source: `query { sql(query: "SELECT count(*) FROM assets", first: 1, after: "c1") {
        columns { name type } rows rowCount pageInfo { hasNextPage hasPreviousPage endCursor } datasets { id version } cacheLevel } }`,
      contextValue,
    })
    expect(response.errors?.map((e) => e.message)).toBeUndefined()
    expect(response.data?.sql).toEqual({
      columns: [{ name: 'n', type: 'int8' }], rows: [['9007199254740993']], rowCount: 3,
      pageInfo: { hasNextPage: true, hasPreviousPage: true, endCursor: 'c2' }, datasets: [{ id: 'd1', version: 2 }], cacheLevel: null,
    })
    expect(requests).toEqual([{ sql: 'SELECT count(*) FROM assets', viewer, first: 1, after: 'c1', signal, source: 'sql' }])
  })
})
