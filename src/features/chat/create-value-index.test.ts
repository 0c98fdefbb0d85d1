import { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateAssets } from '../../../scripts/generate-assets.ts'
import { createValueIndex } from './create-value-index.ts'
import { lookupValues, matchValueShape } from './dataset-value-index.ts'
import { loadCsvDataset } from './testing/load-csv-dataset.ts'

let pglite: PGlite
let db: Kysely<any>
let loaded: Awaited<ReturnType<typeof loadCsvDataset>>

beforeAll(async () => {
  pglite = new PGlite()
  db = new Kysely<any>({ dialect: new PGliteDialect({ pglite }) })
  loaded = await loadCsvDataset({ pglite, csv: generateAssets({ rows: 300, seed: 3 }), tableName: 'assets' })
})
afterAll(async () => db.destroy())

describe('createValueIndex', () => {
  it('indexes low-cardinality text columns with row counts and learns shapes of the others', async () => {
    const valueIndex = createValueIndex({ db, schemaOf: async () => 'datasets', maxDistinct: 100 })
    const index = await valueIndex.build(loaded.dataset, loaded.columns)
    expect(index.indexedColumns.has('manufacturer')).toBe(true)
    expect(index.indexedColumns.has('asset_tag')).toBe(false)
    const [acer] = lookupValues(index, ['acer'])
    const [[expected]] = (await pglite.query<[number]>(`SELECT count(*)::int FROM datasets.assets WHERE manufacturer = 'Acer'`, [], { rowMode: 'array' })).rows as [[number]]
    expect(acer?.values[0]?.count).toBe(expected)
    expect(matchValueShape(index, 'it-0007')[0]).toMatchObject({ column: 'asset_tag', value: 'IT-0007' })
  })

  it('builds once per dataset version and rebuilds for a new version', async () => {
    const valueIndex = createValueIndex({ db, schemaOf: async () => 'datasets' })
    const [a, b] = await Promise.all([valueIndex.get(loaded.dataset, loaded.columns), valueIndex.get(loaded.dataset, loaded.columns)])
    expect(a).toBe(b)
    const next = await valueIndex.get({ ...loaded.dataset, version: 2 }, loaded.columns)
    expect(next).not.toBe(a)
    valueIndex.invalidate(loaded.dataset.id)
    expect(await valueIndex.get(loaded.dataset, loaded.columns)).not.toBe(a)
    valueIndex.stop()
  })
})
