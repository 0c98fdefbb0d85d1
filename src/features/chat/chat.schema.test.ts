// Pothos loads graphql through Node (CommonJS main); import the same copy, not Vite's ESM build.
import { graphql } from 'graphql/index.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { builder } from '../../schema/builder.ts'
import '../../schema/system.schema.ts'
import './chat.schema.ts'
import { createChatFixture, TEST_VIEWER } from './testing/chat-fixture.ts'

type Fixture = Awaited<ReturnType<typeof createChatFixture>>
let f: Fixture
const schema = builder.toSchema()

beforeAll(async () => {
  f = await createChatFixture({ rows: 300 })
})
afterAll(async () => f.stop())

const run = (source: string, variables: Record<string, unknown>, viewer = TEST_VIEWER) =>
  graphql({ schema, source, variableValues: variables,
    contextValue: { viewer, requestId: 'r', signal: new AbortController().signal, loaders: {}, services: { chat: f.chat } } })

const CHAT = `query ($m: String!, $c: ID, $d: ID) { chat(message: $m, conversationId: $c, datasetId: $d) {
  answer sql params intent confidence alternatives conversationId datasetId rows columns { name type }
  interpretation { phrase kind column value operator } } }`

describe('chat schema', () => {
  it('answers through GraphQL and continues a conversation', async () => {
    const first = await run(CHAT, { m: 'how many laptops are in Berlin?', d: f.dataset.id })
    expect(first.errors).toBeUndefined()
    const answer = (first.data as any).chat
    expect(answer.intent).toBe('COUNT')
    expect(answer.answer).toMatch(/^There (is|are) \d+ laptops? in Berlin\.$/)
    expect(answer.interpretation).toEqual(expect.arrayContaining([expect.objectContaining({ phrase: 'Berlin', kind: 'value', column: 'location' })]))
    const next = await run(CHAT, { m: 'how about Paris?', c: answer.conversationId })
    expect((next.data as any).chat.params).toEqual(['laptop', 'Paris'])
  })

  it('picks the dataset when none is given and says so', async () => {
    const result = await run(CHAT, { m: 'which brands do we have' })
    expect((result.data as any).chat.datasetId).toBe(f.dataset.id)
    expect((result.data as any).chat.interpretation[0]).toMatchObject({ kind: 'dataset' })
  })

  it('corrects a role (analysts only) and rejects unknown roles', async () => {
    const mutation = `mutation ($d: ID!, $c: String!, $r: String!) { setColumnRole(datasetId: $d, column: $c, role: $r) { column role roleConfidence } }`
    const ok = await run(mutation, { d: f.dataset.id, c: 'location', r: 'category' })
    expect((ok.data as any).setColumnRole).toEqual({ column: 'location', role: 'category', roleConfidence: 1 })
    const bad = await run(mutation, { d: f.dataset.id, c: 'location', r: 'planet' })
    expect(bad.errors?.[0]?.extensions.code).toBe('BAD_INPUT')
    const viewerOnly = await run(mutation, { d: f.dataset.id, c: 'location', r: 'location' }, { ...TEST_VIEWER, role: 'VIEWER' })
    expect(viewerOnly.errors?.[0]?.extensions.code).toBe('FORBIDDEN')
  })
})
