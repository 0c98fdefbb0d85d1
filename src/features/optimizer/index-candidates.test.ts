import { loadModule, parseSync } from 'libpg-query'
import { beforeAll, describe, expect, it } from 'vitest'
import { indexCandidates, type CoveringIndex } from './index-candidates.ts'
import { keyText } from './index-key.ts'
import { createIndexStatement } from './index-statement.ts'
import { readTableUsage } from './table-usage.ts'

beforeAll(async () => {
  await loadModule()
})

const usageOf = (sqlText: string) => readTableUsage((parseSync(sqlText).stmts![0]!.stmt as { SelectStmt: Record<string, unknown> }).SelectStmt)

function candidates(sqlText: string, options: { trigram?: boolean; existing?: CoveringIndex[]; table?: string } = {}) {
  const usages = usageOf(sqlText).filter((u) => u.table === (options.table ?? 'assets'))
  return indexCandidates(usages, { schema: 'ds_a', trigram: options.trigram ?? false, existing: options.existing ?? [] })
    .map((c) => `${c.method}(${c.keys.map(keyText).join(', ')})`)
}

describe('candidate generation', () => {
  it('equality: one column per predicate, then all equality columns together', () => {
    expect(candidates(`SELECT * FROM assets WHERE manufacturer = 'Acme' AND status = $1`)).toEqual([
      'btree(manufacturer)', 'btree(status)', 'btree(manufacturer, status)',
    ])
  })

  it('IN lists and IS NULL count as equality', () => {
    expect(candidates(`SELECT * FROM assets WHERE kind IN ('a', 'b') AND retired IS NULL`)).toEqual(['btree(kind)', 'btree(retired)', 'btree(kind, retired)'])
  })

  it('range: comparison and BETWEEN, after the equality columns', () => {
    expect(candidates(`SELECT * FROM assets WHERE category = 'x' AND bought BETWEEN '2024-01-01' AND '2024-02-01'`)).toEqual([
      'btree(category)', 'btree(bought)', 'btree(category, bought)',
    ])
    expect(candidates(`SELECT * FROM assets WHERE 100 < cost`)).toEqual(['btree(cost)'])
    expect(candidates(`SELECT * FROM assets WHERE bought >= now() - interval '7 days'`)).toEqual(['btree(bought)'])
  })

  it('ORDER BY … LIMIT: the order columns alone and after the equality columns', () => {
    expect(candidates(`SELECT * FROM assets WHERE category = 'x' ORDER BY created_at DESC LIMIT 10`)).toEqual([
      'btree(category)', 'btree(created_at)', 'btree(category, created_at)',
    ])
  })

  it('GROUP BY after the equality columns', () => {
    expect(candidates(`SELECT site, count(*) FROM assets WHERE status = 'ok' GROUP BY site`)).toEqual([
      'btree(status)', 'btree(site)', 'btree(status, site)',
    ])
  })

  it('expression predicates become expression indexes', () => {
    const found = candidates(`SELECT * FROM assets WHERE lower(name) = 'laptop'`)
    expect(found).toEqual(['btree(lower(name))'])
    const usage = usageOf(`SELECT * FROM assets WHERE lower(name) = 'laptop'`)
    const [candidate] = indexCandidates(usage, { schema: 'ds_a', trigram: false, existing: [] })
    expect(createIndexStatement(candidate!)).toBe('CREATE INDEX "assets_lower_name_idx" ON "ds_a"."assets" USING btree ((lower("name")))')
  })

  it('LIKE with a fixed prefix: a pattern-ops btree', () => {
    expect(candidates(`SELECT * FROM assets WHERE serial LIKE 'AB12%'`)).toEqual(['btree(serial text_pattern_ops)'])
  })

  it('ILIKE %…%: trigram GIN only when pg_trgm is there', () => {
    expect(candidates(`SELECT * FROM assets WHERE name ILIKE '%book%'`)).toEqual([])
    expect(candidates(`SELECT * FROM assets WHERE name ILIKE '%book%'`, { trigram: true })).toEqual(['gin_trgm(name gin_trgm_ops)'])
  })

  it('join columns of each side, qualified through aliases', () => {
    const sqlText = `SELECT a.name FROM assets a JOIN sites s ON s.id = a.site_id WHERE s.region = 'EU'`
    expect(candidates(sqlText)).toEqual(['btree(site_id)'])
    expect(candidates(sqlText, { table: 'sites' })).toEqual(['btree(region)', 'btree(id)'])
  })

  it('reads subqueries, CTEs and set operations with their own scope', () => {
    const sqlText = `WITH recent AS (SELECT * FROM assets WHERE bought > '2024-01-01')
      SELECT * FROM recent UNION ALL SELECT * FROM assets WHERE id IN (SELECT asset_id FROM repairs WHERE cost > 10)`
    expect(candidates(sqlText)).toEqual(['btree(bought)', 'btree(id)'])
    expect(candidates(sqlText, { table: 'repairs' })).toEqual(['btree(cost)'])
  })

  it('no candidate for a full-table aggregate or for unqualified columns of a multi-table FROM', () => {
    expect(candidates(`SELECT count(*), avg(cost) FROM assets`)).toEqual([])
    expect(candidates(`SELECT * FROM assets, sites WHERE region = 'EU'`)).toEqual([])
  })

  it('skips what an existing index already covers as a prefix', () => {
    const existing: CoveringIndex[] = [{ method: 'btree', keys: [{ column: 'category', fn: null, opclass: null }, { column: 'created_at', fn: null, opclass: null }], partial: false }]
    expect(candidates(`SELECT * FROM assets WHERE category = 'x' ORDER BY created_at LIMIT 10`, { existing })).toEqual(['btree(created_at)'])
    const partial = existing.map((e) => ({ ...e, partial: true }))
    expect(candidates(`SELECT * FROM assets WHERE category = 'x'`, { existing: partial })).toEqual(['btree(category)'])
  })
})
