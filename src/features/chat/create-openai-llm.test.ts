import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOpenAiLlm, extractSql } from './create-openai-llm.ts'
import { validateLlmSql } from './validate-llm-sql.ts'
import { createChatFixture } from './testing/chat-fixture.ts'

/** A local server speaking the OpenAI chat completions API; replies with whatever `reply` holds. */
let server: Server
let url: string
let reply = ''
let status = 200
const requests: { headers: Record<string, unknown>; body: any }[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => { body += chunk })
    req.on('end', () => {
      requests.push({ headers: req.headers, body: JSON.parse(body) })
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: reply } }] }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('OpenAI-compatible provider', () => {
  it('sends model, messages and key and extracts the SQL', async () => {
    reply = 'Here:\n```sql\nSELECT count(*) FROM it_assets;\n```'
    const llm = createOpenAiLlm({ url, model: 'tiny', key: 'secret' })
    expect(await llm.proposeSql({ system: 'sys', prompt: 'how many?' })).toBe('SELECT count(*) FROM it_assets')
    const last = requests.at(-1)!
    expect(last.body.model).toBe('tiny')
    expect(last.body.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user'])
    expect(last.headers.authorization).toBe('Bearer secret')
  })

  it('returns null for a refusal or an HTTP error', async () => {
    reply = 'NO_SQL'
    expect(await createOpenAiLlm({ url, model: 'm' }).proposeSql({ system: 's', prompt: 'p' })).toBeNull()
    status = 500
    expect(await createOpenAiLlm({ url, model: 'm' }).proposeSql({ system: 's', prompt: 'p' })).toBeNull()
    status = 200
  })

  it('extracts plain replies without a fence', () => {
    expect(extractSql('select 1;')).toBe('select 1')
    expect(extractSql('I cannot')).toBeNull()
  })
})

describe('validateLlmSql', () => {
  const columns = new Set(['manufacturer', 'cost', 'category'])
  it('accepts catalog columns and binds literals as parameters', async () => {
    const result = await validateLlmSql(`SELECT manufacturer, avg(cost) AS avg_cost FROM it_assets WHERE category = 'it''s' AND cost > 100.5 GROUP BY 1 ORDER BY avg_cost DESC LIMIT 3`, 'it_assets', columns)
    expect(result).toEqual({ sql: 'SELECT manufacturer, avg(cost) AS avg_cost FROM it_assets WHERE category = $1 AND cost > $2 GROUP BY 1 ORDER BY avg_cost DESC LIMIT $3', params: ["it's", 100.5, 3] })
  })

  it.each([
    ['SELECT battery_health FROM it_assets', 'unknown column battery_health'],
    ['SELECT * FROM pg_shadow', 'unknown table pg_shadow'],
    ['DELETE FROM it_assets', 'only SELECT is allowed'],
    ['SELECT pg_sleep(10) FROM it_assets', 'function pg_sleep is not allowed'],
    ['SELECT 1 FROM it_assets; SELECT 2 FROM it_assets', 'expected exactly one statement'],
  ])('rejects %s', async (sql, reason) => {
    expect(await validateLlmSql(sql, 'it_assets', columns)).toEqual({ rejected: reason })
  })
})

describe('chat with a model', () => {
  it('runs validated model SQL and falls back to the built-in parser when the model invents a column', async () => {
    const f = await createChatFixture({ rows: 200, llm: createOpenAiLlm({ url, model: 'm' }) })
    try {
      reply = "```sql\nSELECT count(*) AS n FROM it_assets WHERE manufacturer = 'Dell'\n```"
      const good = await f.ask('how many Dell devices')
      expect(good.sql).toBe('SELECT count(*) AS n FROM it_assets WHERE manufacturer = $1')
      expect(good.params).toEqual(['Dell'])
      expect(good.rows).toEqual(await f.gold(`SELECT count(*) FROM it_assets WHERE manufacturer = 'Dell'`))
      expect(requests.at(-1)!.body.messages[1].content).toContain('"manufacturer" text')

      reply = "```sql\nSELECT battery FROM it_assets\n```"
      const fallback = await f.ask('how many Dell devices')
      expect(fallback.sql).toContain('"manufacturer" = $1')
      expect(f.logs.some((l) => l.level === 'warn' && String(l.details.reason).includes('battery'))).toBe(true)
    } finally {
      await f.stop()
    }
  })
})
