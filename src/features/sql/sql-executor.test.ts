import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends } from '../../../test/support/backends.ts'
import { AppError } from '../../errors.ts'
import type { Config } from '../../config.ts'
import { HOSTILE } from './hostile-statements.ts'
import { createSqlExecutor, type SqlExecutor, type SqlExecutorDeps, type StatementEvent } from './sql-executor.ts'
import { createSqlFixture, type SqlFixture } from './sql-test-fixture.ts'
import type { CacheLoad, ResultCache, ResultCacheKey, SqlRequest } from './sql-types.ts'
import { createWorkloadRecorder, type WorkloadRecorder } from './workload-recorder.ts'

const limits: Config['sql'] = {
  statementTimeoutMs: 1_000, pageRows: 1_000, maxPageRows: 100, maxResultRows: 50, workMem: '4MB', embeddedMaxCost: 1_000_000,
}
const logger = pino({ level: 'silent' })

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e)
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

describe.each(backends())('sql executor on $name', (backend) => {
  let f: SqlFixture
  let workload: WorkloadRecorder
  let executor: SqlExecutor
  const events: StatementEvent[] = []
  const make = (extra: Partial<SqlExecutorDeps> = {}) =>
    createSqlExecutor({
      database: f.database, roles: f.roles, resolveRelations: f.resolveRelations, workload, logger, limits,
      onStatement: (e) => events.push(e), ...extra,
    })
  const asAlice = (sqlText: string, extra: Partial<SqlRequest> = {}) =>
    executor.run({ sql: sqlText, viewer: f.alice, source: 'sql', ...extra })
  // What a session looks like outside user SQL: nothing a statement did may survive into it.
  const sessionState = () =>
    f.database.transaction(async (s) => (await s.query(`SELECT current_user AS u, current_setting('search_path') AS p,
      current_setting('statement_timeout') AS t, current_setting('work_mem') AS w, current_setting('TimeZone') AS z`)).rows[0])

  beforeAll(async () => {
    f = await createSqlFixture(backend)
    workload = createWorkloadRecorder({ db: f.database.db, logger, flushIntervalMs: 60_000 })
    executor = make()
  })
  afterAll(async () => {
    executor?.stop()
    await workload?.stop()
    await f?.stop()
  })

  it('returns typed columns and JSON values without losing precision', async () => {
    const result = await asAlice('SELECT id, name, cost, big, bought, seen, ok, meta, score, count(*) OVER () AS n FROM assets WHERE id <= 2 ORDER BY id')
    expect(result.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'id:int4', 'name:text', 'cost:numeric', 'big:int8', 'bought:date', 'seen:timestamptz', 'ok:bool', 'meta:jsonb', 'score:float8', 'n:int8',
    ])
    expect(result.rows[0]).toEqual([1, 'laptop', '1234.50', '9007199254740993', '2024-01-31', '2024-02-01T10:00:00.123456Z', true, { k: [1] }, 0.1, '2'])
    expect(result.rows[1]).toEqual([2, 'monitor', '99.99', '1', '2024-03-01', '2024-03-02T00:00:00Z', false, null, 2.5, '2'])
    expect(result.datasets).toEqual([{ id: 'd-alice-assets', tableName: 'assets', version: 3 }])
    expect(result.pageInfo).toEqual({ hasNextPage: false, endCursor: null })
    expect(result.fingerprint).toMatch(/^[0-9a-f]{16}$/)
  })

  it('returns arrays as JSON arrays', async () => {
    const result = await asAlice("SELECT array_agg(id ORDER BY id), array_agg(name ORDER BY id), array_agg(big ORDER BY id), ARRAY['a,b', NULL] FROM assets WHERE id <= 2")
    expect(result.rows).toEqual([[[1, 2], ['laptop', 'monitor'], ['9007199254740993', '1'], ['a,b', null]]])
  })

  it('reads the viewer’s own table and the shared one, binds parameters', async () => {
    const result = await asAlice('SELECT a.name, r.rate FROM assets a JOIN rates r ON r.currency = $1 WHERE a.id = $2', { params: ['EUR', 3] })
    expect(result.rows).toEqual([['phone', '1.1']])
    expect(result.datasets.map((d) => d.id).sort()).toEqual(['d-alice-assets', 'd-rates'])
  })

  it('pages through a snapshot with signed cursors', async () => {
    const text = 'SELECT id FROM assets ORDER BY id'
    const one = await asAlice(text, { first: 2 })
    expect(one.rows).toEqual([[1], [2]])
    expect(one.rowCount).toBe(5)
    expect(one.pageInfo.hasNextPage).toBe(true)
    const two = await asAlice(text, { first: 2, after: one.pageInfo.endCursor })
    expect(two.rows).toEqual([[3], [4]])
    const three = await asAlice(text, { first: 2, after: two.pageInfo.endCursor })
    expect(three.rows).toEqual([[5]])
    expect(three.pageInfo).toEqual({ hasNextPage: false, endCursor: null })

    const cursor = one.pageInfo.endCursor!
    const forged = `${Buffer.from(JSON.stringify(['x', 0])).toString('base64url')}.${cursor.split('.')[1]}`
    expect((await failure(asAlice(text, { first: 2, after: forged }))).code).toBe('BAD_INPUT')
    expect((await failure(asAlice('SELECT id FROM assets ORDER BY id DESC', { first: 2, after: cursor }))).code).toBe('BAD_INPUT')
    const asBob = executor.run({ sql: text, viewer: f.bob, source: 'sql', first: 2, after: cursor })
    expect((await failure(asBob)).message).toBe('The cursor belongs to a different query')
    expect((await failure(asAlice(text, { first: 0 }))).code).toBe('BAD_INPUT')
    expect((await failure(asAlice(text, { first: 101 }))).code).toBe('BAD_INPUT')
  })

  it('caps a result at maxResultRows', async () => {
    const result = await asAlice('SELECT g FROM generate_series(1, 500) g', { first: 10 })
    expect(result.rowCount).toBe(limits.maxResultRows)
  })

  it('makes another owner’s table indistinguishable from a missing one', async () => {
    const hidden = await failure(asAlice('SELECT * FROM secret_plans'))
    const missing = await failure(asAlice('SELECT * FROM no_such_table'))
    expect(hidden.code).toBe('SQL_ERROR')
    expect(hidden.message).toBe(missing.message.replace('no_such_table', 'secret_plans'))
    // Bob also has a table named `assets`: Alice only ever reads her own.
    const names = await asAlice('SELECT name FROM assets')
    expect(names.rows.flat()).not.toContain('bob-only-asset')
  })

  it('refuses every hostile statement without leaking, writing or changing the session', async () => {
    const before = { counts: await f.counts(), session: await sessionState() }
    const targeted = [
      ...HOSTILE,
      `SELECT * FROM ${f.bobSchema}.secret_plans`,
      `SELECT * FROM "${f.bobSchema}".assets`,
      `SELECT '${f.bobSchema}.secret_plans'::regclass`,
      'SELECT codename FROM secret_plans',
      'WITH x AS (SELECT * FROM secret_plans) SELECT * FROM x',
      'SELECT * FROM assets WHERE EXISTS (SELECT 1 FROM secret_plans)',
      'SELECT * FROM pg_class',
      'SELECT * FROM pg_tables',
      'SELECT * FROM pg_roles',
      `SELECT * FROM phers.workload`,
      'SELECT * FROM phers.api_keys',
    ]
    for (const text of targeted) {
      const error = await failure(asAlice(text))
      expect(['SQL_NOT_ALLOWED', 'SQL_ERROR'], text).toContain(error.code)
      // Echoing what the viewer wrote is fine (it reads exactly like a missing table); anything else is a leak.
      const unwritten = f.bobSecrets.filter((secret) => !text.includes(secret))
      for (const secret of unwritten) expect(JSON.stringify({ m: error.message, e: error.extensions }), text).not.toContain(secret)
    }
    expect(await f.counts()).toEqual(before.counts)
    expect(await sessionState()).toEqual(before.session)
    expect((await asAlice('SELECT count(*) FROM assets')).rows).toEqual([['5']])
  })

  it('bounds time: expensive statements are stopped (PostgreSQL) or refused up front (PGlite)', async () => {
    const started = Date.now()
    const error = await failure(asAlice('SELECT count(*) FROM generate_series(1, 1000000000000) a'))
    expect(error.code).toBe(backend.name === 'postgres' ? 'SQL_TIMEOUT' : 'SQL_NOT_ALLOWED')
    expect(Date.now() - started).toBeLessThan(10_000)
    expect((await asAlice('SELECT 1 AS one')).rows).toEqual([[1]])
  })

  it('runs a bounded recursive CTE', async () => {
    const result = await asAlice('WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n LIMIT 4')
    expect(result.rows).toEqual([[1], [2], [3], [4]])
  })

  it.runIf(backend.name === 'postgres')('cancels the statement when the client goes away', async () => {
    const slow = make({ limits: { ...limits, statementTimeoutMs: 60_000 } })
    const controller = new AbortController()
    const started = Date.now()
    const running = slow.run({ sql: 'SELECT count(*) FROM generate_series(1, 1000000000000) a', viewer: f.alice, source: 'sql', signal: controller.signal })
    setTimeout(() => controller.abort(), 300)
    expect((await failure(running)).message).toMatch(/request ended/)
    expect(Date.now() - started).toBeLessThan(10_000)
    slow.stop()
  })

  it('lets admins name dataset schemas', async () => {
    const result = await executor.run({ sql: `SELECT codename FROM ${f.bobSchema}.secret_plans`, viewer: f.admin, source: 'sql' })
    expect(result.rows).toEqual([['nightjar']])
  })

  it('with the guard off, the role alone blocks writes and cross-owner reads', async () => {
    const before = await f.counts()
    const naked = make({ unsafe: { skipGuard: true, readWrite: true } })
    const attempts = [
      'DELETE FROM assets',
      "INSERT INTO assets (id, name) VALUES (9, 'x')",
      `SELECT * FROM "${f.bobSchema}".secret_plans`,
      `DELETE FROM "${f.bobSchema}".secret_plans`,
      'CREATE TABLE stolen (x int)',
      'SELECT * FROM pg_catalog.pg_authid',
      'SELECT * FROM phers.api_keys',
    ]
    for (const text of attempts) {
      const error = await failure(naked.run({ sql: text, viewer: f.alice, source: 'sql' }))
      expect(error.code, text).toBe('SQL_ERROR')
      expect(error.message, text).toMatch(/permission denied/)
      for (const secret of f.bobSecrets) expect(error.message, text).not.toContain(secret)
    }
    // Session-level changes that do run for the role: ROLLBACK and DISCARD ALL must undo every one of them.
    const session = await sessionState()
    const sticky = ["SET work_mem = '1GB'", "SELECT set_config('statement_timeout', '0', false)", 'SET search_path = public',
      'SELECT pg_advisory_lock(42)', 'PREPARE leftover AS SELECT 1', 'LISTEN leftover', 'RESET ROLE', "SELECT set_config('role', session_user::text, true)"]
    const outcomes: string[] = []
    for (const text of sticky) {
      outcomes.push(await naked.run({ sql: text, viewer: f.alice, source: 'sql' }).then(() => 'ran', (e: AppError) => e.code))
    }
    // The role cannot stop a switch back to the login role (SET ROLE is no sandbox): the executor's re-check does.
    expect(outcomes).toEqual(['ran', 'ran', 'ran', 'ran', 'ran', 'ran', 'SQL_NOT_ALLOWED', 'SQL_NOT_ALLOWED'])
    expect(await sessionState()).toEqual(session)
    // Only this test's database: other suites migrating in parallel hold (transaction) advisory locks of their own.
    const leftovers = await f.database.transaction(async (s) => (await s.query(`SELECT
      (SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory'
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())) AS locks,
      (SELECT count(*)::int FROM pg_prepared_statements WHERE name = 'leftover') AS prepared,
      (SELECT count(*)::int FROM pg_listening_channels()) AS channels`)).rows[0])
    expect(leftovers).toEqual({ locks: 0, prepared: 0, channels: 0 })
    const readOnly = make({ unsafe: { skipGuard: true } })
    expect((await failure(readOnly.run({ sql: 'DELETE FROM assets', viewer: f.alice, source: 'sql' }))).code).toBe('SQL_NOT_ALLOWED')
    expect(await f.counts()).toEqual(before)
    naked.stop()
    readOnly.stop()
  })

  it('hands the cache the key parts and serves its hits', async () => {
    const store = new Map<string, CacheLoad['result']>()
    const keys: ResultCacheKey[] = []
    const cache: ResultCache = {
      async getOrLoad(key, load) {
        keys.push(key)
        const id = JSON.stringify(key)
        const hit = store.get(id)
        if (hit) return { result: hit, level: 'L1' }
        const loaded = await load()
        if (loaded.cacheable) store.set(id, loaded.result)
        return { result: loaded.result, level: null }
      },
    }
    const cached = make({ cache })
    const text = "SELECT name FROM assets WHERE name = 'desk'"
    const miss = await cached.run({ sql: text, viewer: f.alice, source: 'sql' })
    const hit = await cached.run({ sql: text.toLowerCase(), viewer: f.alice, source: 'sql' })
    expect([miss.cached, hit.cached, hit.cacheLevel]).toEqual([false, true, 'L1'])
    expect(keys[0]).toMatchObject({ constants: ['desk'], params: [], page: { first: 1000, after: null }, datasets: [{ id: 'd-alice-assets', version: 3 }], scope: 'alice' })
    cached.stop()
  })

  it('records executions in the workload and reports every run to onStatement', async () => {
    events.length = 0
    await asAlice("SELECT count(*) FROM assets WHERE name <> 'x'")
    await asAlice("SELECT count(*) FROM assets WHERE name <> 'y'")
    await failure(asAlice('DELETE FROM assets'))
    expect(events.map((e) => e.errorCode)).toEqual([null, null, 'SQL_NOT_ALLOWED'])
    expect(events[0]).toMatchObject({ viewerId: 'alice', rows: 1, datasetIds: ['d-alice-assets'], source: 'sql' })
    const top = await workload.top({ datasetId: 'd-alice-assets', limit: 50 })
    const entry = top.find((e) => e.fingerprint === events[0]!.fingerprint)
    expect(entry).toMatchObject({ scope: 'alice', calls: 2, errors: 0, rows: 2, datasetIds: ['d-alice-assets'] })
    expect(top.every((e) => e.datasetIds.includes('d-alice-assets'))).toBe(true)
  })
})
