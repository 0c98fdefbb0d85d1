import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends } from './support/backends.ts'
import { startTestApp, type TestApp } from './support/test-app.ts'

const LIST = '{ datasets(first: 50) { edges { node { name rowCount columns { name type } } } } }'

/** Issue 2: a query for 50 datasets with their columns issues a constant number of SQL statements. */
describe.each(backends())('catalog batching on $name', (backend) => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp(backend)
  })
  afterAll(async () => t?.stop())

  const statementsFor = async (query: string) => {
    const before = t.app.services.database.catalogQueries()
    const result = await t.gql(query)
    expect(result.errors).toBeUndefined()
    return { count: t.app.services.database.catalogQueries() - before, result }
  }

  const uploadMany = async (from: number, to: number) => {
    for (let i = from; i < to; i += 1) {
      const response = await t.upload(`id,label_${i},amount\n1,a,${i}\n2,b,${i + 1}\n`, { name: `set_${String(i).padStart(2, '0')}` })
      expect(response.errors).toBeUndefined()
    }
  }

  it('uses the same number of statements for 5 and for 50 datasets', async () => {
    await uploadMany(0, 5)
    const small = await statementsFor(LIST)
    expect(small.result.data.datasets.edges).toHaveLength(5)
    await uploadMany(5, 50)
    const large = await statementsFor(LIST)
    expect(large.result.data.datasets.edges).toHaveLength(50)
    expect(large.result.data.datasets.edges[49].node.columns.map((c: { name: string }) => c.name)).toEqual(['id', 'label_49', 'amount'])
    expect(large.count).toBe(small.count)
    expect(large.count).toBeLessThanOrEqual(3)
  })
})
