import { beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../errors.ts'
import type { GuardOptions } from './guarded-statement.ts'
import { HOSTILE } from './hostile-statements.ts'
import { createStatementGuard, type StatementGuard } from './statement-guard.ts'

const viewer: GuardOptions = { params: 0, admin: false, embedded: false, maxResultRows: 1000 }
let guard: StatementGuard
beforeAll(async () => {
  guard = await createStatementGuard()
})

const codeOf = (run: () => unknown): string | null => {
  try {
    run()
    return null
  } catch (error) {
    expect(error).toBeInstanceOf(AppError)
    return (error as AppError).code
  }
}


describe('statement guard: hostile statements', () => {
  it('has at least 40 hostile statements', () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(40)
  })
  it.each(HOSTILE)('refuses %s', (sqlText) => {
    expect(codeOf(() => guard.check(sqlText, viewer))).toBe('SQL_NOT_ALLOWED')
  })
})

const LEGITIMATE = [
  'SELECT manufacturer, count(*) FROM assets GROUP BY 1',
  'select MANUFACTURER , COUNT( * ) from ASSETS group by 1 -- comment',
  'SELECT manufacturer, avg(cost), percentile_cont(0.5) WITHIN GROUP (ORDER BY cost) FROM assets GROUP BY ROLLUP (manufacturer)',
  'SELECT name, rank() OVER (PARTITION BY manufacturer ORDER BY cost DESC) FROM assets',
  'SELECT name, sum(cost) OVER w FROM assets WINDOW w AS (ORDER BY purchased ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)',
  'WITH big AS (SELECT * FROM assets WHERE cost > 1000) SELECT count(*) FROM big',
  'SELECT a.name, u.name FROM assets a LEFT JOIN users u ON u.id = a.owner_id',
  "SELECT date_trunc('month', purchased), extract(year FROM purchased), purchased + interval '1 day' FROM assets",
  "SELECT age(now(), purchased), to_char(purchased, 'YYYY-MM'), current_date - purchased::date FROM assets",
  "SELECT * FROM assets WHERE name ~* '^mac' AND serial LIKE 'A%' AND name SIMILAR TO '%(a|b)%'",
  "SELECT regexp_replace(name, '\\s+', ' ', 'g'), split_part(email, '@', 2), lower(trim(name)) FROM assets",
  "SELECT coalesce(nullif(name, ''), 'n/a'), greatest(cost, 0), CASE WHEN cost > 10 THEN 'high' ELSE 'low' END FROM assets",
  'SELECT * FROM assets WHERE id IN (SELECT asset_id FROM tickets) AND EXISTS (SELECT 1 FROM users)',
  'SELECT manufacturer FROM assets UNION SELECT vendor FROM suppliers ORDER BY 1 LIMIT 10 OFFSET 5',
  'VALUES (1, 2), (3, 4)',
  'TABLE assets',
  "SELECT cost::numeric(12, 2), id::text, '2024-01-01'::date, '1.5'::float8 FROM assets",
  'SELECT jsonb_build_object(\'n\', name) ->> \'n\', to_json(a.*) FROM assets a',
  'SELECT g FROM generate_series(1, 10) AS g',
  'SELECT * FROM assets a CROSS JOIN LATERAL (SELECT count(*) FROM tickets t WHERE t.asset_id = a.id) c',
  'SELECT count(*) FILTER (WHERE cost > 100), string_agg(DISTINCT name, \', \' ORDER BY name) FROM assets',
  "SELECT name COLLATE \"C\" FROM assets ORDER BY 1",
  "SELECT lpad(id::text, 6, '0'), repeat('*', 5) FROM assets",
  'SELECT purchased AT TIME ZONE \'UTC\', CURRENT_TIMESTAMP, LOCALTIMESTAMP FROM assets',
  'SELECT * FROM assets TABLESAMPLE BERNOULLI (10)',
  'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) SELECT sum(i) FROM n',
  '(WITH x AS (SELECT 1 AS a) SELECT a FROM x) UNION ALL SELECT 2',
]

describe('statement guard: legitimate statements', () => {
  it.each(LEGITIMATE)('accepts %s', (sqlText) => {
    expect(() => guard.check(sqlText, viewer)).not.toThrow()
  })

  it('reports relations and skips CTE names in scope only', () => {
    const g = guard.check('WITH x AS (SELECT * FROM x) SELECT * FROM x JOIN y USING (id)', viewer)
    expect(g.relations.map((r) => r.name).sort()).toEqual(['x', 'y'])
    const r = guard.check('WITH RECURSIVE x AS (SELECT 1 UNION ALL SELECT 1 FROM x) SELECT * FROM x LIMIT 3', viewer)
    expect(r.relations).toEqual([])
    expect(r.recursive).toBe(true)
  })

  it('collects constants in order and strips the trailing semicolon', () => {
    const g = guard.check("SELECT a FROM t WHERE b = 'x' AND c > 2.5 AND d = 3;  -- done", viewer)
    expect(g.constants).toEqual(['x', { numeric: '2.5' }, 3])
    expect(g.text).toBe("SELECT a FROM t WHERE b = 'x' AND c > 2.5 AND d = 3")
  })

  it('gives one fingerprint across spellings and constants, and a shape that tells aliases apart', () => {
    const a = guard.check('SELECT a AS x FROM t WHERE b = 1', viewer)
    const b = guard.check('select  A as X from T where B = 2 /* c */', viewer)
    const c = guard.check('SELECT a AS y FROM t WHERE b = 1', viewer)
    expect(a.fingerprint).toBe(b.fingerprint)
    expect(a.shape).not.toBe(c.shape)
  })

  it('accepts parameters only when values are bound', () => {
    const g = guard.check('SELECT * FROM t WHERE a = $1 AND b = $2', { ...viewer, params: 2 })
    expect(g.maxParam).toBe(2)
    expect(codeOf(() => guard.check('SELECT $3', { ...viewer, params: 2 }))).toBe('SQL_NOT_ALLOWED')
  })

  it('lets admins name dataset schemas but nothing else', () => {
    const admin = { ...viewer, admin: true }
    expect(guard.check('SELECT * FROM ds_shared.assets', admin).relations).toEqual([{ schema: 'ds_shared', name: 'assets', location: 14 }])
    expect(codeOf(() => guard.check('SELECT * FROM pg_catalog.pg_class', admin))).toBe('SQL_NOT_ALLOWED')
  })

  it('reports syntax errors as SQL_ERROR with a position', () => {
    expect(codeOf(() => guard.check('SELEC 1', viewer))).toBe('SQL_ERROR')
  })
})

describe('statement guard: runaway protection on the embedded database', () => {
  const embedded = { ...viewer, embedded: true }
  it('accepts generate_series with literal or bound bounds', () => {
    const sqlText = "SELECT g FROM generate_series('2024-01-01'::date, $1::date, interval '1 day') g"
    expect(() => guard.check(sqlText, { ...embedded, params: 1 })).not.toThrow()
  })
  it('accepts a recursive CTE read alone under a literal LIMIT', () => {
    const sqlText = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n LIMIT 100'
    expect(guard.check(sqlText, embedded).recursive).toBe(true)
  })
  it.each([
    'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n',
    'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n LIMIT 1',
    'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n ORDER BY i LIMIT 1',
    'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n LIMIT 5000',
    'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT (SELECT max(i) FROM n) FROM n LIMIT 1',
    'SELECT * FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n) s LIMIT 1',
    'SELECT count(*) FROM assets a, generate_series(1, a.big) g',
    'SELECT count(*) FROM generate_series(1, (SELECT max(big) FROM assets)) g',
  ])('refuses what the embedded cost check cannot see: %s', (sqlText) => {
    expect(codeOf(() => guard.check(sqlText, embedded))).toBe('SQL_NOT_ALLOWED')
  })
})
