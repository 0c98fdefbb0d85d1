import { createPubSub, createYoga } from 'graphql-yoga'
import type { GraphQLError } from 'graphql'
import { pino } from 'pino'
import { isAppError } from '../../errors.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '../../context.ts'
import { buildSchema } from '../../schema/index.ts'
import type { Role } from '../auth/viewer.ts'
import { createTelemetry, type Telemetry } from './telemetry.ts'
import { testBackends, type TestDb } from './telemetry-test-db.ts'

describe('telemetry GraphQL fields', () => {
  let t: TestDb
  let telemetry: Telemetry
  beforeAll(async () => {
    t = await testBackends()[0]!.open()
    telemetry = createTelemetry({ db: t.db, pubsub: createPubSub(), logger: pino({ level: 'silent' }), instanceId: 'schema' })
    await telemetry.activity.record({ actor: 'k1', action: 'dataset.uploaded', subject: 'ds1', detail: { rows: 3 } })
    await telemetry.activity.record({ actor: 'k1', action: 'api_key.created', subject: 'key2' })
  })
  afterAll(async () => {
    await telemetry?.stop()
    await t?.stop()
  })

  const ask = async (role: Role, query: string, withTelemetry = true) => {
    const yoga = createYoga<Record<string, unknown>, AppContext>({
      schema: buildSchema(),
      logging: false,
      // As in createApp: expected errors pass through with their code, the rest is masked.
      maskedErrors: { maskError: (error, message) => (isAppError((error as GraphQLError).originalError) ? (error as GraphQLError).originalError! : new Error(message)) },
      context: () => ({
        requestId: 'r', logger: pino({ level: 'silent' }), viewer: { id: 'v', name: 'v', role, anonymous: false }, signal: new AbortController().signal,
        services: (withTelemetry ? { telemetry } : {}) as unknown as AppContext['services'], loaders: {},
      }),
    })
    const res = await yoga.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })
    return (await res.json()) as { data?: any; errors?: { extensions: { code: string } }[] }
  }

  it('lets admins page the activity log by action prefix', async () => {
    const first = await ask('ADMIN', '{ activityLog(first: 1, actions: ["dataset.", "api_key."]) { edges { cursor node { action actor detail } } pageInfo { hasNextPage endCursor } } }')
    expect(first.data.activityLog.edges[0].node).toEqual({ action: 'api_key.created', actor: 'k1', detail: {} })
    expect(first.data.activityLog.pageInfo.hasNextPage).toBe(true)
    const after = first.data.activityLog.pageInfo.endCursor
    const second = await ask('ADMIN', `{ activityLog(first: 5, after: "${after}") { edges { node { action detail } } } }`)
    expect(second.data.activityLog.edges.map((e: any) => e.node)).toEqual([{ action: 'dataset.uploaded', detail: { rows: 3 } }])
  })

  it('keeps the activity log from non-admins and SQL-bearing figures from viewers', async () => {
    expect((await ask('ANALYST', '{ activityLog { edges { node { id } } } }')).errors?.[0]?.extensions.code).toBe('FORBIDDEN')
    expect((await ask('VIEWER', '{ bottlenecks { sql } }')).errors?.[0]?.extensions.code).toBe('FORBIDDEN')
    expect((await ask('ANALYST', '{ performance { instanceId } }')).data.performance.instanceId).toBe('schema')
    expect((await ask('VIEWER', '{ alerts { edges { node { id } } } }')).data.alerts.edges).toEqual([])
  })

  it('rejects backward paging and reports a server without telemetry as UNAVAILABLE', async () => {
    expect((await ask('ADMIN', '{ alerts(last: 2) { edges { cursor } } }')).errors?.[0]?.extensions.code).toBe('BAD_INPUT')
    expect((await ask('ADMIN', '{ bottlenecks(first: 1000) { sql } }')).errors?.[0]?.extensions.code).toBe('BAD_INPUT')
    expect((await ask('ADMIN', '{ performance { instanceId } }', false)).errors?.[0]?.extensions.code).toBe('UNAVAILABLE')
  })
})
