import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChatFixture, TEST_VIEWER } from './testing/chat-fixture.ts'
import { loadCsvDataset } from './testing/load-csv-dataset.ts'

type Fixture = Awaited<ReturnType<typeof createChatFixture>>
let f: Fixture

beforeAll(async () => {
  f = await createChatFixture({ rows: 200 })
  const csv = readFileSync(new URL('../../../bench/chat/tables/medals.csv', import.meta.url), 'utf8')
  f.catalog.add(await loadCsvDataset({ pglite: f.pglite, csv, tableName: 'medals' }))
})
afterAll(async () => f.stop())

describe('choosing a dataset', () => {
  it.each([
    ['which nation won the most gold medals?', 'medals'],
    ['how many Dell laptops are in Berlin?', 'it_assets'],
  ])('%s → %s', async (message, datasetId) => {
    const answer = await f.chat.ask({ message, viewer: TEST_VIEWER })
    expect(answer.datasetId).toBe(datasetId)
    expect(answer.answer).toContain(`(Answered from dataset “${datasetId}”.)`)
  })

  it('answers "how many more … than …" as a difference of two totals', async () => {
    const answer = await f.chat.ask({ message: 'how many more gold medals did Norway win than Germany', datasetId: 'medals', viewer: TEST_VIEWER })
    expect(answer.rows).toEqual(await f.gold(
      `SELECT (SELECT gold FROM medals WHERE nation = 'Norway') - (SELECT gold FROM medals WHERE nation = 'Germany')`))
    expect(answer.answer).toMatch(/^The difference in gold between Norway and Germany is \d+\.$/)
  })

  it('reads a yes/no column named as a property as a filter', async () => {
    const csv = 'Product,Price,Available\nLamp,20,yes\nDesk,150,no\nChair,80,yes\n'
    f.catalog.add(await loadCsvDataset({ pglite: f.pglite, csv, tableName: 'shop' }))
    const yes = await f.chat.ask({ message: 'how many products are available', datasetId: 'shop', viewer: TEST_VIEWER })
    expect(yes.rows).toEqual([[2]])
    const no = await f.chat.ask({ message: 'which products are not available', datasetId: 'shop', viewer: TEST_VIEWER })
    expect(no.rows.map((r) => r[0])).toEqual(['Desk'])
  })

  it('keeps the chosen dataset for follow-ups', async () => {
    const first = await f.chat.ask({ message: 'how many gold medals did Norway win', viewer: TEST_VIEWER })
    const next = await f.chat.ask({ message: 'how about Canada?', conversationId: first.conversationId, viewer: TEST_VIEWER })
    expect(next.datasetId).toBe('medals')
    expect(next.rows).toEqual(await f.gold(`SELECT sum(gold) FROM medals WHERE nation = 'Canada'`))
  })
})
