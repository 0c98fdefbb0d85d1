import { describe, expect, it } from 'vitest'
import { buildCacheKey } from './cache-key.ts'
import { canonicalJson } from './canonical-json.ts'
import { makeKey } from './cache-test-support.ts'
import { statementKeyParts } from './statement-key-parts.ts'

const noGenerations = new Map<string, number>()

async function keyFor(sqlText: string, overrides = {}) {
  const parts = await statementKeyParts(sqlText)
  return buildCacheKey(makeKey({ ...parts, ...overrides }), noGenerations)
}

describe('statement key normalization', () => {
  it('gives one key to spellings that differ in whitespace, keyword case and comments', async () => {
    const spellings = [
      'SELECT region, sum(amount) FROM sales WHERE year = 2024 GROUP BY region',
      'select   region,\n  SUM(amount)\nfrom SALES where YEAR = 2024 group by REGION',
      '/* report */ SELECT region, sum(amount) -- total\nFROM sales WHERE year = 2024 GROUP BY region',
    ]
    const keys = await Promise.all(spellings.map((s) => keyFor(s)))
    expect(new Set(keys).size).toBe(1)
  })

  it('gives different keys to different constants', async () => {
    const a = await keyFor("SELECT count(*) FROM sales WHERE region = 'north'")
    const b = await keyFor("SELECT count(*) FROM sales WHERE region = 'south'")
    const c = await keyFor('SELECT count(*) FROM sales WHERE year = 2024')
    const d = await keyFor("SELECT count(*) FROM sales WHERE year = '2024'")
    expect(new Set([a, b, c, d]).size).toBe(4)
  })

  it('keeps apart statements the libpg-query fingerprint treats as one', async () => {
    const pairs = [
      ['SELECT a, b FROM t', 'SELECT b, a FROM t'],
      ['SELECT a AS x FROM t', 'SELECT a AS y FROM t'],
      ["SELECT '1'::int", "SELECT '1'::text"],
    ] as const
    for (const [left, right] of pairs) {
      const [l, r] = await Promise.all([statementKeyParts(left), statementKeyParts(right)])
      expect(l.fingerprint).toBe(r.fingerprint)
      expect(await keyFor(left)).not.toBe(await keyFor(right))
    }
  })

  it('lists the constants in order with their types', async () => {
    const parts = await statementKeyParts("SELECT 0, -1, 1.5, 'x', true, false, null FROM t")
    expect(parts.constants).toEqual([0, -1, { numeric: '1.5' }, 'x', true, false, null])
  })

  it('rejects text that does not parse', async () => {
    await expect(statementKeyParts('SELEC 1')).rejects.toThrow(/syntax error/)
  })
})

describe('buildCacheKey', () => {
  const base = makeKey({ datasets: [{ id: 'a', version: 1 }, { id: 'b', version: 4 }] })

  it('ignores dataset order but not versions, generations, scope, params or page', () => {
    const key = buildCacheKey(base, noGenerations)
    expect(buildCacheKey({ ...base, datasets: [...base.datasets].reverse() }, noGenerations)).toBe(key)
    const variants = [
      { ...base, datasets: [{ id: 'a', version: 2 }, { id: 'b', version: 4 }] },
      { ...base, scope: 'owner-2' },
      { ...base, params: [1] },
      { ...base, page: { first: 100, after: 'cursor' } },
      { ...base, page: { first: 50, after: null } },
    ]
    for (const variant of variants) expect(buildCacheKey(variant, noGenerations)).not.toBe(key)
    expect(buildCacheKey(base, new Map([['b', 1]]))).not.toBe(key)
    expect(buildCacheKey(base, new Map([['*', 1]]))).not.toBe(key)
  })

  it('tells parameter types apart', () => {
    const keys = [[1], ['1'], [1n], [new Date(1)], [null], [undefined]].map((params) =>
      buildCacheKey({ ...base, params }, noGenerations),
    )
    expect(new Set(keys).size).toBe(keys.length)
  })
})

describe('canonicalJson', () => {
  it('sorts object keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 4, e: 5 }] } })).toBe('{"a":{"c":[3,{"e":5,"f":4}],"d":2},"b":1}')
  })

  it('refuses values without a data identity', () => {
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError)
  })
})
