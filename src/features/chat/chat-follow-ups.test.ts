import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asMultiset, createChatFixture } from './testing/chat-fixture.ts'

type Fixture = Awaited<ReturnType<typeof createChatFixture>>
let f: Fixture

beforeAll(async () => {
  f = await createChatFixture()
})
afterAll(async () => f.stop())

/** Asks a conversation turn by turn; returns the last answer. */
const converse = async (messages: string[]) => {
  let answer = await f.ask(messages[0]!)
  for (const message of messages.slice(1)) answer = await f.ask(message, answer.conversationId)
  return answer
}

const rowsOf = async (sql: string) => asMultiset(await f.gold(sql))

describe('follow-ups', () => {
  it('swaps a value of the same column: "how about Acer?"', async () => {
    const answer = await converse(['how many Dell laptops are there?', 'how about Acer?'])
    expect(answer.intent).toBe('count')
    expect(asMultiset(answer.rows)).toEqual(await rowsOf(`SELECT count(*) FROM it_assets WHERE manufacturer = 'Acer' AND category = 'laptop'`))
  })

  it('adds a filter: "just those in Lisbon"', async () => {
    const answer = await converse(['how many monitors do we have', 'just those in Lisbon'])
    expect(asMultiset(answer.rows)).toEqual(await rowsOf(`SELECT count(*) FROM it_assets WHERE category = 'monitor' AND location = 'Lisbon'`))
  })

  it('adds a grouping: "split by team"', async () => {
    const answer = await converse(['how many laptops are in repair', 'split by team'])
    expect(answer.intent).toBe('group')
    expect(asMultiset(answer.rows)).toEqual(await rowsOf(
      `SELECT department, count(*) FROM it_assets WHERE category = 'laptop' AND status = 'in repair' GROUP BY department`))
  })

  it('orders the last result: "cheapest first"', async () => {
    const answer = await converse(['list the Apple tablets', 'cheapest first'])
    const costs = answer.rows.map((r) => Number(r[answer.columns.findIndex((c) => c.name === 'cost')]))
    expect(costs.length).toBeGreaterThan(1)
    expect(costs).toEqual([...costs].sort((a, b) => a - b))
    expect(answer.sql).toMatch(/ORDER BY "cost" ASC/)
  })

  it('narrows the last result: "which ones are phones?"', async () => {
    const answer = await converse(['how many Samsung devices are there', 'which ones are phones?'])
    expect(answer.intent).toBe('list')
    expect(answer.rows.length).toBe(Number((await f.gold(`SELECT count(*) FROM it_assets WHERE manufacturer = 'Samsung' AND category = 'phone'`))[0]![0]))
  })

  it('resolves a pronoun to the last result: "who owns it?"', async () => {
    const answer = await converse(['what is the priciest laptop', 'who owns it?'])
    expect(asMultiset(answer.rows.map((r) => [r[0]]))).toEqual(await rowsOf(
      `SELECT employee FROM it_assets WHERE category = 'laptop' ORDER BY cost DESC LIMIT 1`))
  })

  it('starts afresh when the message is a new question', async () => {
    const first = await f.ask('how many Dell laptops are there?')
    const answer = await f.ask('which brands do we have', first.conversationId)
    expect(answer.intent).toBe('distinct')
    expect(answer.conversationId).toBe(first.conversationId)
  })

  it('ignores a conversation id that belongs to no one', async () => {
    const answer = await f.ask('how about Acer?', 'no-such-conversation')
    expect(answer.conversationId).not.toBe('')
    expect(answer.sql).toContain('"manufacturer"')
  })
})
