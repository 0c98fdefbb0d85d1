import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChatFixture } from './testing/chat-fixture.ts'

type Fixture = Awaited<ReturnType<typeof createChatFixture>>
let f: Fixture

beforeAll(async () => {
  f = await createChatFixture()
})
afterAll(async () => f.stop())

describe('no invention', () => {
  it('says which columns exist instead of guessing an attribute', async () => {
    const answer = await f.ask('battery health of IT-0042')
    expect(answer.sql).toBeNull()
    expect(answer.intent).toBe('unanswerable')
    expect(answer.answer).toContain('no column for battery health')
    expect(answer.answer).toContain('manufacturer')
    expect(f.runner.calls.some((c) => c.sql.includes('battery'))).toBe(false)
  })

  it('answers a value that does not exist truthfully and says it was not found', async () => {
    const answer = await f.ask('how many devices in Narnia')
    expect(answer.rows).toEqual([[0]])
    expect(answer.answer).toMatch(/There are 0 .*Narnia/)
    expect(answer.answer).toContain('“Narnia” was not found among the location values')
    expect(answer.params).toContain('Narnia')
  })

  it('reports a code of the right shape that is not in the data', async () => {
    const answer = await f.ask('who owns IT-9999?')
    expect(answer.rows).toEqual([])
    expect(answer.answer).toContain('“IT-9999” was not found among the asset tag values')
  })

  it('binds every value as a parameter and quotes only catalog identifiers', async () => {
    const answer = await f.ask("how many Dell laptops in Lisbon costing over $1,000 bought since 2021")
    expect(answer.sql).not.toMatch(/'|Dell|Lisbon|1000|2021/)
    expect(answer.params).toEqual(expect.arrayContaining(['Dell', 'laptop', 'Lisbon', 1000, '2021-01-01']))
    const catalog = new Set([...f.columns.map((c) => c.name), f.dataset.tableName, 'count'])
    for (const [, identifier] of answer.sql!.matchAll(/"([^"]+)"/g)) expect(catalog.has(identifier!)).toBe(true)
  })

  it('answers the most likely reading of a shared username and lists the others', async () => {
    const answer = await f.ask('who is areyes?')
    expect(answer.intent).toBe('distinct')
    expect(answer.rows.map((r) => r[0]).sort()).toEqual(['Alberto Reyes', 'Ana Reyes'])
  })

  it('lists alternatives when a surname fits several people', async () => {
    const answer = await f.ask('how many devices does Reyes have')
    expect(answer.alternatives.length).toBeGreaterThan(0)
    expect(answer.alternatives.join(' ')).toMatch(/Reyes/)
  })

  it('uses a corrected column role at once', async () => {
    const before = await f.ask('who has IT-0042?')
    expect(before.sql).toContain('"employee"')
    await f.chat.setColumnRole({ datasetId: f.dataset.id, column: 'employee', role: 'text', viewer: { id: 'a', name: 'a', role: 'ADMIN', anonymous: false } })
    await f.chat.setColumnRole({ datasetId: f.dataset.id, column: 'username', role: 'person_name', viewer: { id: 'a', name: 'a', role: 'ADMIN', anonymous: false } })
    const after = await f.ask('who has IT-0042?')
    expect(after.sql).toContain('"username"')
    expect(after.sql).not.toContain('"employee"')
  })
})
