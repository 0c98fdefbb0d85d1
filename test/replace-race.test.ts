import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends } from './support/backends.ts'
import { startTestApp, type TestApp } from './support/test-app.ts'

const versionCsv = (version: number) => {
  const lines = ['id,v,label']
  for (let i = 1; i <= version * 1000; i += 1) lines.push(`${i},${version},row ${i} of version ${version}`)
  return `${lines.join('\n')}\n`
}

describe.each(backends())('replacing a dataset while readers query it on $name', (backend) => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp(backend)
    const first = await t.upload(versionCsv(1), { name: 'race' })
    expect(first.errors).toBeUndefined()
  })
  afterAll(async () => t?.stop())

  it('readers see the old or the new version, never an error or a partial table', async () => {
    const query = '{ sql(query: "SELECT count(*), min(v), max(v) FROM race") { rows } }'
    let uploading = true
    const seen = new Set<string>()
    const reader = async () => {
      const failures: unknown[] = []
      while (uploading) {
        const result = await t.gql(query)
        if (result.errors) {
          failures.push(result.errors)
          continue
        }
        const [count, min, max] = result.data.sql.rows[0] as [string, string, string]
        seen.add(min)
        expect(min).toBe(max)
        expect(Number(count)).toBe(Number(min) * 1000)
      }
      return failures
    }
    const readers = Array.from({ length: 4 }, reader)
    const uploads = Promise.all([t.upload(versionCsv(2), { name: 'race' }), t.upload(versionCsv(3), { name: 'race' })])
    const results = await uploads.finally(() => {
      uploading = false
    })
    for (const result of results) expect(result.errors).toBeUndefined()
    const failures = (await Promise.all(readers)).flat()
    expect(failures).toEqual([])
    const final = await t.gql('{ dataset(name: "race") { version rowCount } }')
    expect(final.data.dataset.version).toBe(3)
    expect([2000, 3000]).toContain(final.data.dataset.rowCount)
    expect(seen.size).toBeGreaterThan(0)
  })
})
