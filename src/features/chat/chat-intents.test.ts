import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asMultiset, createChatFixture } from './testing/chat-fixture.ts'

type Fixture = Awaited<ReturnType<typeof createChatFixture>>
let f: Fixture

beforeAll(async () => {
  f = await createChatFixture()
})
afterAll(async () => f.stop())

/** Each question must return the same rows as the hand-written query (order ignored, extra columns projected away). */
const cases: [question: string, gold: string, intent: string][] = [
  ['What is the model of tag IT-0042?', `SELECT model FROM it_assets WHERE asset_tag = 'IT-0042'`, 'lookup'],
  ['whose is IT-0312?', `SELECT employee FROM it_assets WHERE asset_tag = 'IT-0312'`, 'lookup'],
  ['where is IT-0100?', `SELECT location FROM it_assets WHERE asset_tag = 'IT-0100'`, 'lookup'],
  ['when was IT-0100 bought?', `SELECT purchase_date FROM it_assets WHERE asset_tag = 'IT-0100'`, 'lookup'],
  ['list the Dell laptops in Lisbon', `SELECT * FROM it_assets WHERE manufacturer = 'Dell' AND category = 'laptop' AND location = 'Lisbon'`, 'list'],
  ['How many laptops do we have?', `SELECT count(*) FROM it_assets WHERE category = 'laptop'`, 'count'],
  ['how many Acer monitors are in Lisbon?', `SELECT count(*) FROM it_assets WHERE manufacturer = 'Acer' AND category = 'monitor' AND location = 'Lisbon'`, 'count'],
  ['total cost of HP printers', `SELECT sum(cost) FROM it_assets WHERE manufacturer = 'HP' AND category = 'printer'`, 'aggregate'],
  ['average price of phones', `SELECT avg(cost) FROM it_assets WHERE category = 'phone'`, 'aggregate'],
  ['what is the highest cost', `SELECT max(cost) FROM it_assets`, 'aggregate'],
  ['how many devices per site', `SELECT location, count(*) FROM it_assets GROUP BY location`, 'group'],
  ['total cost broken down by department', `SELECT department, sum(cost) FROM it_assets GROUP BY department`, 'group'],
  ['number of tablets for each brand', `SELECT manufacturer, count(*) FROM it_assets WHERE category = 'tablet' GROUP BY manufacturer`, 'group'],
  ['which site has the fewest devices', `SELECT location FROM it_assets GROUP BY location ORDER BY count(*) ASC LIMIT 1`, 'group'],
  ['what is the priciest laptop', `SELECT asset_tag FROM it_assets WHERE category = 'laptop' ORDER BY cost DESC LIMIT 1`, 'top'],
  ['top 3 most expensive monitors', `SELECT asset_tag FROM it_assets WHERE category = 'monitor' ORDER BY cost DESC LIMIT 3`, 'top'],
  ['which department spends the most', `SELECT department FROM it_assets WHERE department IS NOT NULL GROUP BY department ORDER BY sum(cost) DESC LIMIT 1`, 'group'],
  ['which brands do we have', `SELECT DISTINCT manufacturer FROM it_assets`, 'distinct'],
  ['what kinds of devices does Acer supply', `SELECT DISTINCT category FROM it_assets WHERE manufacturer = 'Acer'`, 'distinct'],
  ['how many brands are there', `SELECT count(DISTINCT manufacturer) FROM it_assets`, 'count'],
  ['Acer versus Asus tablets', `SELECT manufacturer, count(*) FROM it_assets WHERE category = 'tablet' AND manufacturer IN ('Acer','Asus') GROUP BY manufacturer`, 'compare'],
  ['teams holding over 20 devices', `SELECT department FROM it_assets WHERE department IS NOT NULL GROUP BY department HAVING count(*) > 20`, 'group'],
  ['laptops costing more than $1,500', `SELECT * FROM it_assets WHERE category = 'laptop' AND cost > 1500`, 'list'],
  ['how many devices cost between 500 and 1000', `SELECT count(*) FROM it_assets WHERE cost BETWEEN 500 AND 1000`, 'count'],
  ['how many phones under $500', `SELECT count(*) FROM it_assets WHERE category = 'phone' AND cost < 500`, 'count'],
  ['how many devices were bought in 2021', `SELECT count(*) FROM it_assets WHERE purchase_date >= '2021-01-01' AND purchase_date < '2022-01-01'`, 'count'],
  ['devices purchased before 2020', `SELECT * FROM it_assets WHERE purchase_date < '2020-01-01'`, 'list'],
  ['how many laptops bought since June 2022', `SELECT count(*) FROM it_assets WHERE category = 'laptop' AND purchase_date >= '2022-06-01'`, 'count'],
  ['count devices bought from 2019 to 2021', `SELECT count(*) FROM it_assets WHERE purchase_date >= '2019-01-01' AND purchase_date < '2022-01-01'`, 'count'],
  ['how many devices are not active', `SELECT count(*) FROM it_assets WHERE status IS DISTINCT FROM 'active'`, 'count'],
  ['how many unassigned devices are there', `SELECT count(*) FROM it_assets WHERE employee IS NULL`, 'count'],
  ['how many devices in Lisbon or Berlin', `SELECT count(*) FROM it_assets WHERE location IN ('Lisbon','Berlin')`, 'count'],
  ['how many laptops in Paris or made by Apple', `SELECT count(*) FROM it_assets WHERE category = 'laptop' AND (location = 'Paris' OR manufacturer = 'Apple')`, 'count'],
  ['retired or in repair devices', `SELECT * FROM it_assets WHERE status IN ('retired','in repair')`, 'list'],
]

describe('chat intents', () => {
  it.each(cases)('%s', async (question, gold, intent) => {
    const answer = await f.ask(question)
    expect(answer.intent).toBe(intent)
    expect(answer.sql).not.toBeNull()
    const expected = await f.gold(gold)
    const names = answer.columns.map((c) => c.name)
    const goldColumns = (await f.runner.run({ sql: gold, viewer: { id: 't', name: 't', role: 'ADMIN', anonymous: false }, source: 'sql' })).columns
    const project = goldColumns.every((c) => names.includes(c.name)) && goldColumns.length < names.length
    const actual = project ? answer.rows.map((r) => goldColumns.map((c) => r[names.indexOf(c.name)])) : answer.rows
    expect(asMultiset(actual)).toEqual(asMultiset(expected))
    expect(expected.length).toBeGreaterThan(0)
  })
})
