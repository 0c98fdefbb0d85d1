import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends } from '../../../test/support/backends.ts'
import { openDatasetFixture, viewerOf, type DatasetFixture } from './dataset-test-fixture.ts'

const DIRTY = [
  '\uFEFFAsset#ID@;Zip Code;Cost ($);Purchased (MM/DD/YYYY);Active?;Notes;select;Big Id',
  '1;02139;$1.234,50;03/15/2021;yes;"line one\nline two";DROP TABLE x;9007199254740993',
  '2;00123;$99,00;12/01/2021;no;\\N;1;9223372036854775807',
  '3;90210;;01/31/2020;Y;\\.;"a;b";-5',
  '',
].join('\r\n')

describe.each(backends())('dataset service on $name', (backend) => {
  let f: DatasetFixture
  beforeAll(async () => { f = await openDatasetFixture(backend) })
  afterAll(async () => { await f?.stop() })

  const rows = async (tableName: string, owner = 'alice') => {
    const schema = f.roles.ownerSchema(owner)
    const result = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(`${schema}.${tableName}`)} ORDER BY _row`.execute(f.database.db)
    return result.rows
  }

  it('loads a dirty CSV with the right names, types and values', async () => {
    const dataset = await f.upload(DIRTY, { name: 'Dirty Assets', chunkSize: 5 })
    expect(dataset).toMatchObject({ name: 'Dirty Assets', tableName: 'dirty_assets', rowCount: 3, version: 1, ownerId: 'alice', visibility: 'PRIVATE' })
    const [columns] = await f.service.columns([dataset.id])
    expect(columns!.map((c) => [c.name, c.originalName, c.type])).toEqual([
      ['asset_id', 'Asset#ID@', 'integer'],
      ['zip_code', 'Zip Code', 'text'],
      ['cost', 'Cost ($)', 'numeric'],
      ['purchased_mm_dd_yyyy', 'Purchased (MM/DD/YYYY)', 'date'],
      ['active', 'Active?', 'boolean'],
      ['notes', 'Notes', 'text'],
      ['select_', 'select', 'text'],
      ['big_id', 'Big Id', 'bigint'],
    ])
    expect(columns![2]).toMatchObject({ nullCount: 1, min: '99.00', max: '1234.50', inference: { format: '$1.234,56' } })
    const preview = await f.service.preview(dataset, 10)
    expect(preview.rows).toEqual([
      ['1', '02139', '1234.50', '2021-03-15', 't', 'line one\nline two', 'DROP TABLE x', '9007199254740993'],
      ['2', '00123', '99.00', '2021-12-01', 'f', '\\N', '1', '9223372036854775807'],
      ['3', '90210', null, '2020-01-31', 't', '\\.', 'a;b', '-5'],
    ])
    expect(f.changes.at(-1)).toEqual({ name: 'Dirty Assets', version: 1, kind: 'created' })
  })

  it('loads every supported format through COPY with the value PostgreSQL should hold', async () => {
    const csv = [
      'named,named_us,ts,tsz,pct,eu,sci,neg,flag,padded,dmy,usd_sci,dashed',
      '15 Mar 2021,"Mar 15, 2021",2021-03-15 14:30,2021-03-15T14:30:00Z,12.5%,"1.234,50 €",1e3,-$5.25,t, 5 ,13.01.2021,"$1,000",15-Mar-2021',
      '1-Dec-2020,"Dec 1, 2020",2021-03-15T08:00:01.25,2021-03-15 16:30:00+02:00,7%,"99,00 €",2.5E-2,"$1,000",F,,01.02.2021,1e3,1-Dec-2020',
      ',,,,,,,,,,,-2.5E+1,',
    ].join('\n')
    const dataset = await f.upload(csv, { name: 'formats' })
    const [columns] = await f.service.columns([dataset.id])
    expect(columns!.map((c) => c.type)).toEqual(['date', 'date', 'timestamp', 'timestamptz', 'numeric', 'numeric', 'numeric', 'numeric', 'boolean', 'integer', 'date', 'numeric', 'date'])
    const values = await sql<Record<string, string>>`SELECT named::text, named_us::text, ts::text, (tsz AT TIME ZONE 'UTC')::text AS tsz, pct::text, eu::text, sci::text, neg::text, flag::text, padded::text, dmy::text, usd_sci::text, dashed::text
      FROM ${sql.table(`${f.roles.ownerSchema('alice')}.formats`)} ORDER BY _row`.execute(f.database.db)
    expect(values.rows).toEqual([
      { named: '2021-03-15', named_us: '2021-03-15', ts: '2021-03-15 14:30:00', tsz: '2021-03-15 14:30:00', pct: '12.5', eu: '1234.50', sci: '1000', neg: '-5.25', flag: 'true', padded: '5', dmy: '2021-01-13', usd_sci: '1000', dashed: '2021-03-15' },
      { named: '2020-12-01', named_us: '2020-12-01', ts: '2021-03-15 08:00:01.25', tsz: '2021-03-15 14:30:00', pct: '7', eu: '99.00', sci: '0.025', neg: '1000', flag: 'false', padded: null, dmy: '2021-02-01', usd_sci: '1000', dashed: '2020-12-01' },
      { named: null, named_us: null, ts: null, tsz: null, pct: null, eu: null, sci: null, neg: null, flag: null, padded: null, dmy: null, usd_sci: '-25', dashed: null },
    ])
  })

  it.each([false, true])('infers over every row: a value far past the first chunk changes the type and the load is redone (source re-read: %s)', async (rereadable) => {
    const body = Array.from({ length: 20_000 }, (_, i) => `${i + 1},01/0${(i % 9) + 1}/2021`).join('\n')
    const dataset = await f.upload(`n,d\n${body}\nN/A,13/01/2021\n`, { name: 'late', chunkSize: 65_536, rereadable })
    const [columns] = await f.service.columns([dataset.id])
    expect(columns!.map((c) => [c.name, c.type, c.inference.format])).toEqual([['n', 'text', null], ['d', 'date', 'DD/MM/YYYY']])
    expect(columns![0]!.inference.examplesRejected).toEqual(['N/A'])
    expect(columns![0]!.inference.confidence).toBeLessThan(0.001)
    const rows = await sql<{ n: string; d: string }>`SELECT n, d::text AS d FROM ${sql.table(`${f.roles.ownerSchema('alice')}.late`)} WHERE _row IN (2, 20001) ORDER BY _row`.execute(f.database.db)
    expect(rows.rows).toEqual([{ n: '2', d: '2021-02-01' }, { n: 'N/A', d: '2021-01-13' }])
  })

  it('keeps a column as text, with the reason, when PostgreSQL refuses a value inference accepted', async () => {
    const huge = '9'.repeat(140_000)
    const dataset = await f.upload(`id,x\n1,1\n2,${huge}\n`, { name: 'overflow', chunkSize: 65_536 })
    const [columns] = await f.service.columns([dataset.id])
    expect(columns!.map((c) => c.type)).toEqual(['integer', 'text'])
    expect(columns![1]!.inference.examplesRejected[0]).toMatch(/overflow/)
    const rows = await sql<{ x: string }>`SELECT x FROM ${sql.table(`${f.roles.ownerSchema('alice')}.overflow`)} ORDER BY _row`.execute(f.database.db)
    expect(rows.rows.map((r) => r.x)).toEqual(['1', huge])
  })

  it('accepts a header-only file as an empty dataset of text columns', async () => {
    const dataset = await f.upload('a,b,c\n', { name: 'empty one' })
    expect(dataset.rowCount).toBe(0)
    const [columns] = await f.service.columns([dataset.id])
    expect(columns!.map((c) => [c.name, c.type, c.inference.confidence])).toEqual([['a', 'text', 0], ['b', 'text', 0], ['c', 'text', 0]])
  })

  it('replaces a dataset atomically under the same name and table, bumping the version', async () => {
    const first = await f.upload('id,name\n1,a\n2,b\n', { name: 'people' })
    const second = await f.upload('id,name,age\n1,x,30\n', { name: 'people' })
    expect(second).toMatchObject({ id: first.id, tableName: first.tableName, version: 2, rowCount: 1 })
    expect(await rows(second.tableName)).toEqual([{ _row: expect.anything(), id: 1, name: 'x', age: 30 }])
    const [columns] = await f.service.columns([second.id])
    expect(columns!.map((c) => c.name)).toEqual(['id', 'name', 'age'])
    expect(f.changes.at(-1)).toEqual({ name: 'people', version: 2, kind: 'replaced' })

    const before = await f.datasetTables()
    await expect(f.upload('id,name\n1,"broken\n', { name: 'people' })).rejects.toMatchObject({ code: 'BAD_CSV' })
    expect(await f.service.get(first.id, viewerOf('alice'))).toMatchObject({ version: 2, rowCount: 1 })
    expect(await f.datasetTables()).toEqual(before)
  })

  it('re-types a column without re-uploading, and refuses values that do not convert', async () => {
    const dataset = await f.upload('code,amount\n001,5\n002,N/A\n', { name: 'codes' })
    const [columns] = await f.service.columns([dataset.id])
    expect(columns!.map((c) => c.type)).toEqual(['text', 'text'])
    expect(columns![1]!.inference).toMatchObject({ type: 'text', confidence: 0.5, examplesRejected: ['N/A'] })
    const retyped = await f.service.setColumnType(dataset.id, 'code', 'integer', viewerOf('alice'))
    expect(retyped).toMatchObject({ type: 'integer', min: '1', max: '2' })
    await expect(f.service.setColumnType(dataset.id, 'amount', 'numeric', viewerOf('alice'))).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('N/A') })
    expect(await f.service.get(dataset.id, viewerOf('alice'))).toMatchObject({ version: 2 })

    const dated = await f.upload('day;price\n03/15/2021;1.234,50 €\n12/01/2021;5 €\n', { name: 'round trip' })
    for (const type of ['text', 'date'] as const) await f.service.setColumnType(dated.id, 'day', type, viewerOf('alice'))
    for (const type of ['text', 'numeric'] as const) await f.service.setColumnType(dated.id, 'price', type, viewerOf('alice'))
    expect((await f.service.preview(dated, 5)).rows).toEqual([['2021-03-15', '1234.50'], ['2021-12-01', '5']])
    await expect(f.service.setColumnType(dataset.id, 'code', 'integer', viewerOf('bob'))).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('enforces visibility and ownership, and moves tables between schemas when shared', async () => {
    const alice = viewerOf('alice')
    const bob = viewerOf('bob')
    const admin = viewerOf('root', 'ADMIN')
    const dataset = await f.upload('x\n1\n', { name: 'secret' })
    await f.upload('x\n2\n', { name: 'secret', owner: bob })
    expect(await f.service.get(dataset.id, bob)).toBeNull()
    expect(await f.service.get(dataset.id, admin)).not.toBeNull()
    await expect(f.service.delete(dataset.id, bob)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(f.service.ingest({ source: (async function* () {})(), fileName: 'v.csv', owner: viewerOf('v', 'VIEWER') })).rejects.toMatchObject({ code: 'FORBIDDEN' })

    const shared = await f.service.setVisibility(dataset.id, 'SHARED', alice)
    expect(shared).toMatchObject({ visibility: 'SHARED', tableName: 'secret', version: 2 })
    expect(await f.service.get(dataset.id, bob)).toMatchObject({ id: dataset.id })
    expect((await f.service.getByName('secret', bob))!.ownerId).toBe('bob')
    expect((await f.service.listVisible(bob)).nodes.map((d) => `${d.ownerId}:${d.name}`)).toContain('alice:secret')
    await expect(f.service.delete(dataset.id, bob)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect((await f.datasetTables())).toContain(`${f.roles.sharedSchema}.secret`)

    const bobs = await f.service.getByName('secret', bob)
    const bobShared = await f.service.setVisibility(bobs!.id, 'SHARED', bob)
    expect(bobShared.tableName).toBe('secret_2')
    const back = await f.service.setVisibility(dataset.id, 'PRIVATE', alice)
    expect(back).toMatchObject({ visibility: 'PRIVATE', tableName: 'secret' })
    expect(await f.service.get(dataset.id, bob)).toBeNull()

    await f.service.delete(dataset.id, admin)
    expect(await f.service.get(dataset.id, admin)).toBeNull()
    expect(await f.datasetTables()).not.toContain(`${f.roles.ownerSchema('alice')}.secret`)
    expect(f.changes.at(-1)).toMatchObject({ name: 'secret', kind: 'deleted' })
  })

  it('pages through visible datasets and batches columns for many datasets', async () => {
    const carol = viewerOf('carol')
    const made = []
    for (const name of ['c1', 'c2', 'c3']) made.push(await f.upload(`${name}\n1\n`, { name, owner: carol }))
    const page1 = await f.service.listVisible(carol, { first: 2 })
    const page2 = await f.service.listVisible(carol, { first: 2, after: page1.endCursor })
    const names = [...page1.nodes, ...page2.nodes].map((d) => d.name)
    expect(names.filter((n) => n.startsWith('c'))).toEqual(['c1', 'c2', 'c3'])
    expect(page1.hasNextPage).toBe(true)
    const batched = await f.service.columns([made[2]!.id, 'missing', made[0]!.id])
    expect(batched.map((cols) => cols.map((c) => c.name))).toEqual([['c3'], [], ['c1']])
  })
})
