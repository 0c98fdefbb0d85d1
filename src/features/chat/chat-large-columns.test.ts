import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChatFixture } from './testing/chat-fixture.ts'

type Fixture = Awaited<ReturnType<typeof createChatFixture>>
let f: Fixture

// With a tiny in-memory limit, people and models are "high-cardinality": they are found by SQL instead.
beforeAll(async () => {
  f = await createChatFixture({ rows: 400, maxDistinct: 12 })
})
afterAll(async () => f.stop())

describe('high-cardinality columns', () => {
  it('leaves large columns out of the in-memory index', async () => {
    const index = await f.chat.valueIndex.get(f.dataset, f.columns)
    expect(index.indexedColumns.has('employee')).toBe(false)
    expect(index.indexedColumns.has('manufacturer')).toBe(true)
  })

  it('finds a full name by SQL and answers with it', async () => {
    const answer = await f.ask('how many devices does Ana Reyes have')
    expect(answer.params).toEqual(['Ana Reyes'])
    expect(answer.rows).toEqual(await f.gold(`SELECT count(*) FROM it_assets WHERE employee = 'Ana Reyes'`))
  })

  it('finds values by word prefix ("zenbook" → ZenBook models)', async () => {
    const answer = await f.ask('how many zenbook laptops')
    expect([...answer.params].sort()).toEqual(['ZenBook 14', 'ZenBook Pro 15', 'laptop'])
  })

  it('still reports a name that is nowhere', async () => {
    const answer = await f.ask('how many devices does Zebulon Quartermaine have')
    expect(answer.answer).toContain('was not found')
  })
})
