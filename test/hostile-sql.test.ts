import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HOSTILE } from '../src/features/sql/hostile-statements.ts'
import { backends } from './support/backends.ts'
import { startTestApp, type TestApp } from './support/test-app.ts'

const SECRET_CSV = 'employee,salary_secret\nAna Reyes,91000\nBo Chen,87000\n'
const ASSETS_CSV = 'id,name,cost\n1,laptop,1200\n2,phone,800\n3,monitor,300\n'

/**
 * Issue 2, done-when 3, end to end: hostile statements sent over HTTP by an analyst key while another owner's
 * dataset sits beside its own. Nothing is written, nothing of the other owner leaks, the server stays up.
 */
describe.each(backends())('hostile SQL through GraphQL on $name', (backend) => {
  let t: TestApp
  let analyst: string
  let other: string

  beforeAll(async () => {
    t = await startTestApp(backend)
    const keys = await Promise.all(
      ['analyst', 'other'].map((name) => t.gql(`mutation { createApiKey(name: "${name}", role: ANALYST) { key } }`)),
    )
    ;[analyst, other] = keys.map((k) => k.data.createApiKey.key as string) as [string, string]
    expect((await t.upload(SECRET_CSV, { name: 'secret_payroll', key: other })).errors).toBeUndefined()
    expect((await t.upload(ASSETS_CSV, { name: 'assets', key: analyst })).errors).toBeUndefined()
  })
  afterAll(async () => t?.stop())

  it(`refuses or neutralises ${HOSTILE.length} hostile statements without leaking the other owner's data`, async () => {
    const leaks: string[] = []
    for (const statement of HOSTILE) {
      const result = await t.gql('query($q: String!) { sql(query: $q) { rows } }', { q: statement }, { key: analyst })
      const text = JSON.stringify(result)
      if (/salary_secret|secret_payroll|91000|Ana Reyes/i.test(text)) leaks.push(statement)
      if (!result.errors) continue
      expect(['SQL_NOT_ALLOWED', 'SQL_ERROR', 'SQL_TIMEOUT', 'BAD_INPUT']).toContain(result.errors[0]!.extensions?.code)
    }
    expect(leaks).toEqual([])
    const own = await t.gql('{ sql(query: "SELECT count(*), sum(cost) FROM assets") { rows } }', {}, { key: analyst })
    expect(own.data.sql.rows).toEqual([['3', '2300']])
    const theirs = await t.gql('{ sql(query: "SELECT count(*), sum(salary_secret) FROM secret_payroll") { rows } }', {}, { key: other })
    expect(theirs.data.sql.rows).toEqual([['2', '178000']])
    const probe = await t.gql('{ sql(query: "SELECT * FROM secret_payroll") { rows } }', {}, { key: analyst })
    expect(probe.errors?.[0]?.message).toBe('relation "secret_payroll" does not exist')
    const catalog = await t.gql('{ datasets(first: 50) { edges { node { name } } } }', {}, { key: analyst })
    expect(JSON.stringify(catalog)).not.toContain('secret_payroll')
    expect((await fetch(`${t.url}/health`)).status).toBe(200)
  })
})
