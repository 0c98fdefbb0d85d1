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

  /** Catalog statements issued while the query ran (background work such as cache warming reads other tables). */
  const isCatalog = (text: string) => /"phers"\."dataset(s|_columns)"/.test(text)

  /** Waits until the work uploads start in the background (value index, cache warming) has stopped reading the catalog. */
  const settle = async () => {
    const log = t.app.services.database.queryLog
    for (let quiet = 0, tries = 0; quiet < 3 && tries < 50; tries += 1) {
      const before = log.position()
      await new Promise((resolve) => setTimeout(resolve, 100))
      quiet = log.since(before).some(isCatalog) ? 0 : quiet + 1
    }
  }

  const statementsFor = async (query: string) => {
    await settle()
    const log = t.app.services.database.queryLog
    const before = log.position()
    const result = await t.gql(query)
    expect(result.errors).toBeUndefined()
    const catalog = log.since(before).filter(isCatalog)
    return { count: catalog.length, result }
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
