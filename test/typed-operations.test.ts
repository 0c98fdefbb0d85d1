import { readFileSync } from 'node:fs'
import { generate } from '@graphql-codegen/cli'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import codegenConfig from '../codegen.ts'
import { CreateKeyDocument, DatasetListDocument, RunSqlDocument, type RunSqlQuery } from './generated/graphql.ts'
import { backends } from './support/backends.ts'
import { startTestApp, type TestApp } from './support/test-app.ts'

describe('typed documents (graphql-codegen)', () => {
  it('test/generated/graphql.ts is what `npm run codegen` produces from the committed schema', async () => {
    const [output] = await generate({ ...codegenConfig, cwd: process.cwd() }, false)
    expect(readFileSync('test/generated/graphql.ts', 'utf8')).toBe(output!.content)
  })
})

const rowsCsv = (n: number) => `n,label\n${Array.from({ length: n }, (_, i) => `${i + 1},row ${i + 1}`).join('\n')}\n`

describe.each(backends())('typed operations on $name', (backend) => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp(backend)
  })
  afterAll(async () => t?.stop())

  it('creates a key, lists datasets and pages through a result with cursors', async () => {
    const created = await t.request(CreateKeyDocument, { name: 'typed analyst', role: 'ANALYST' })
    const key = created.data!.createApiKey.key
    expect(created.data!.createApiKey.apiKey.role).toBe('ANALYST')
    expect((await t.upload(rowsCsv(25), { name: 'numbers', key })).errors).toBeUndefined()

    const list = await t.request(DatasetListDocument, { first: 10, after: null }, { key })
    expect(list.data!.datasets.edges.map((e) => e.node.tableName)).toEqual(['numbers'])
    expect(list.data!.datasets.edges[0]!.node.columns.map((c) => [c.name, c.type])).toEqual([
      ['n', 'integer'],
      ['label', 'text'],
    ])

    const seen: unknown[] = []
    let after: string | null = null
    for (let page = 0; page < 10; page += 1) {
      const result = await t.request(RunSqlDocument, { query: 'SELECT n FROM numbers ORDER BY n', first: 10, after }, { key })
      const sql: RunSqlQuery['sql'] = result.data!.sql
      seen.push(...(sql.rows as unknown[][]).map((r) => r[0]))
      if (!sql.pageInfo.hasNextPage) break
      after = sql.pageInfo.endCursor
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i + 1))
    const forged = await t.request(RunSqlDocument, { query: 'SELECT n FROM numbers ORDER BY n', first: 10, after: 'not-a-cursor' }, { key })
    expect(forged.errors?.[0]?.extensions?.code).toBe('BAD_INPUT')
  })
})
