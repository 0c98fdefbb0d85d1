import { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { up as migrateChat } from '../../../migrations/2026_11_27_010_chat.ts'
import { createChat, type Chat } from './create-chat.ts'
import { createValueIndex } from './create-value-index.ts'
import { asMultiset, TEST_VIEWER } from './testing/chat-fixture.ts'
import { loadCsvDataset } from './testing/load-csv-dataset.ts'
import { createMemoryChatCatalog } from './testing/memory-chat-catalog.ts'
import { createPgliteSqlRunner } from './testing/pglite-sql-runner.ts'

/** Small tables in the style of public table-QA sets: abbreviated headers, years as integers, units in headers. */
const TABLES: Record<string, string> = {
  standings: `Pos,Team,Pld,W,D,L,GF,GA,GD,Pts
1,Rovers,10,8,1,1,25,8,17,25
2,United,10,6,3,1,18,9,9,21
3,Athletic,10,5,1,4,20,14,6,16
4,Wanderers,10,3,4,3,12,15,-3,13
5,Albion,10,2,2,6,9,20,-11,8
6,Rangers,10,0,3,7,7,25,-18,3`,
  finals: `Year,Host,Winner,Runner-up,Attendance
1978,Argentina,Argentina,Netherlands,71483
1982,Spain,Italy,West Germany,90000
1986,Mexico,Argentina,West Germany,114600
1990,Italy,West Germany,Argentina,73603
1994,United States,Brazil,Italy,94194
1998,France,France,Brazil,80000`,
  peaks: `No.,Peak,Height (m),Country,GDP per capita
1,Everest,8849,Nepal,1300
2,K2,8611,Pakistan,1500
3,Lhotse,8516,Nepal,1300
4,Makalu,8485,Nepal,1300`,
  handsets: `Model,Maker,Weight (g),OS
Nothing Phone 2,Nothing,201,Android
Galaxy Fold,Samsung,253,Android
iPhone 15,Apple,171,iOS
iPhone 15 Pro Max,Apple,221,iOS
Pixel 8,Google,187,Android`,
}

let pglite: PGlite
let db: Kysely<any>
let chat: Chat
const ids = new Map<string, string>()

beforeAll(async () => {
  pglite = new PGlite()
  db = new Kysely<any>({ dialect: new PGliteDialect({ pglite }) })
  await sql`CREATE SCHEMA IF NOT EXISTS phers`.execute(db)
  await migrateChat(db)
  const catalog = createMemoryChatCatalog()
  for (const [name, csv] of Object.entries(TABLES)) {
    const loaded = await loadCsvDataset({ pglite, csv, tableName: name, datasetId: name })
    catalog.add(loaded)
    ids.set(name, loaded.dataset.id)
  }
  chat = createChat({ db, catalog, runner: createPgliteSqlRunner(pglite), llm: null, logger: { info: () => {}, warn: () => {} },
    valueIndex: createValueIndex({ db, schemaOf: async () => 'datasets' }) })
})
afterAll(async () => {
  chat.stop()
  await db.destroy()
})

const rows = async (query: string) => (await pglite.query<Record<string, unknown>>(query, [], { rowMode: 'array' })).rows as unknown as unknown[][]

const cases: [capability: string, table: string, question: string, gold: string][] = [
  ['abbreviated header, disambiguated by another word', 'standings', 'which team scored the most goals', 'SELECT team FROM datasets.standings ORDER BY gf DESC LIMIT 1'],
  ['abbreviated header, the other reading', 'standings', 'which team conceded the fewest goals', 'SELECT team FROM datasets.standings ORDER BY ga ASC LIMIT 1'],
  ['one-letter header of a standings table', 'standings', 'which team had the most draws', 'SELECT team FROM datasets.standings ORDER BY d DESC LIMIT 1'],
  ['negative as a sign', 'standings', 'how many teams had a negative goal difference', 'SELECT count(*) FROM datasets.standings WHERE gd < 0'],
  ['ordinal without a column: last by time', 'finals', 'who was the last winner?', 'SELECT winner FROM datasets.finals ORDER BY year DESC LIMIT 1'],
  ['ordinal without a column: first by time', 'finals', 'who was the first winner', 'SELECT winner FROM datasets.finals ORDER BY year ASC LIMIT 1'],
  ['bare year on a year column, verb to header noun', 'finals', 'who won the 1986 final', 'SELECT winner FROM datasets.finals WHERE year = 1986'],
  ['decade', 'finals', 'how many finals were played in the 1980s', 'SELECT count(*) FROM datasets.finals WHERE year >= 1980 AND year < 1990'],
  ['comparative difference', 'peaks', 'how much taller is Everest than K2', 'SELECT 8849 - 8611'],
  ['unit after a number, "m" not a million', 'peaks', 'how many peaks are higher than 8500 m', 'SELECT count(*) FROM datasets.peaks WHERE height_m > 8500'],
  ['grammar word inside a header', 'peaks', 'which peaks have a gdp per capita above 1400', 'SELECT peak FROM datasets.peaks WHERE gdp_per_capita > 1400'],
  ['header of weak words only', 'peaks', 'what number is Lhotse', 'SELECT no FROM datasets.peaks WHERE peak = \'Lhotse\''],
  ['negation across a verb', 'handsets', 'how many phones do not run Android', 'SELECT count(*) FROM datasets.handsets WHERE os <> \'Android\''],
  ['row noun is not part of a value', 'handsets', 'which is the lightest phone', 'SELECT model FROM datasets.handsets ORDER BY weight_g ASC LIMIT 1'],
  ['unit word names the compared column', 'handsets', 'which phones weigh more than 220 grams', 'SELECT model FROM datasets.handsets WHERE weight_g > 220'],
]

describe('questions over tables of other domains', () => {
  it.each(cases)('%s: %s', async (_capability, table, question, gold) => {
    const answer = await chat.ask({ message: question, datasetId: ids.get(table)!, viewer: TEST_VIEWER })
    expect(answer.sql).not.toBeNull()
    const expected = await rows(gold)
    const goldColumns = (await pglite.query(gold)).fields.map((f) => f.name)
    const names = answer.columns.map((c) => c.name)
    const project = goldColumns.every((c) => names.includes(c)) && goldColumns.length < names.length
    const actual = project ? answer.rows.map((r) => goldColumns.map((c) => r[names.indexOf(c)])) : answer.rows
    expect(expected.length).toBeGreaterThan(0)
    expect(asMultiset(actual)).toEqual(asMultiset(expected))
  })

  it('still says which attribute is missing instead of inventing one', async () => {
    const answer = await chat.ask({ message: 'what is the capital of Nepal', datasetId: ids.get('peaks')!, viewer: TEST_VIEWER })
    expect(answer.intent).toBe('unanswerable')
    expect(answer.answer).toContain('no column for capital')
  })
})
