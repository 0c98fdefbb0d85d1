// Pothos loads graphql through Node (CommonJS main); import the same copy, not Vite's ESM build.
import { graphql } from 'graphql/index.js'
import { describe, expect, it } from 'vitest'
import type { AppContext } from '../../context.ts'
import { buildSchema } from '../../schema/index.ts'
import type { IndexAdvisor } from './index-advisor.ts'
import type { ExplainResult, IndexRecommendation } from './optimizer-types.ts'
import './optimizer.schema.ts'

const recommendation: IndexRecommendation = {
  id: 'r1', datasetId: 'd1', schema: 'ds_x', table: 'assets', indexName: 'assets_lower_name_idx', method: 'btree',
  keys: [{ column: 'name', fn: 'lower', opclass: null }], statement: 'CREATE INDEX …',
  helped: [{ fingerprint: 'f', sql: "SELECT 1 FROM assets WHERE lower(name) = 'x'", params: [], searchPath: ['ds_x'], calls: 7, costBefore: 900, costAfter: 8 }],
  costBefore: 6300, costAfter: 56, sizeBytes: 2048, reason: 'because', status: 'APPLIED',
  measured: { beforeMs: 30, afterMs: 0.3, speedup: 100, note: 'Index kept' }, createdAt: new Date('2026-01-01T00:00:00Z'), updatedAt: new Date('2026-01-01T00:00:00Z'),
}

const explained: ExplainResult = {
  plan: { nodeType: 'Limit', relation: null, indexName: null, startupCost: 0, totalCost: 5, planRows: 1, actualRows: null, actualTimeMs: null, loops: null,
    filter: null, rowsRemovedByFilter: null, detail: null,
    children: [{ nodeType: 'Seq Scan', relation: 'assets', indexName: null, startupCost: 0, totalCost: 4, planRows: 1, actualRows: null, actualTimeMs: null,
      loops: null, filter: "(name = 'x')", rowsRemovedByFilter: null, detail: null, children: [] }] },
  summary: ['Seq Scan on assets reads 1,000 rows to keep 1 — an index on name would help'], totalCost: 5, planningMs: 0.1, executionMs: null, raw: [],
}

function contextFor(role: 'VIEWER' | 'ADMIN', calls: string[]): AppContext {
  const optimizer: Partial<IndexAdvisor> = {
    recommend: async (id) => (calls.push(`recommend ${id}`), { recommendations: [recommendation], evaluated: 3, skipped: 0, candidates: [], elapsedMs: 5, method: 'rollback' }),
    apply: async (id, viewer) => (calls.push(`apply ${id} ${viewer.id}`), recommendation),
    setAuto: (enabled) => (calls.push(`auto ${enabled}`), enabled),
    explain: async (query, viewer, options) => (calls.push(`explain ${query} ${viewer.id} ${options?.analyze}`), explained),
  }
  const viewer = { id: role.toLowerCase(), name: role, role, anonymous: false }
  return { viewer, signal: new AbortController().signal, services: { optimizer } } as unknown as AppContext
}

describe('optimizer schema', () => {
  it('maps recommendations, applying and auto mode for admins', async () => {
    const calls: string[] = []
    const response = await graphql({
      schema: buildSchema(),
      source: `mutation { applyIndexRecommendation(id: "r1") { indexName method keys { column function } status measured { speedup note } helped { calls costAfter } }
        setAutoIndex(enabled: true) }`,
      contextValue: contextFor('ADMIN', calls),
    })
    expect(response.errors?.map((e) => e.message)).toBeUndefined()
    expect(response.data).toEqual({
      applyIndexRecommendation: {
        indexName: 'assets_lower_name_idx', method: 'BTREE', keys: [{ column: 'name', function: 'lower' }], status: 'APPLIED',
        measured: { speedup: 100, note: 'Index kept' }, helped: [{ calls: 7, costAfter: 8 }],
      },
      setAutoIndex: true,
    })
    expect(calls).toEqual(['apply r1 admin', 'auto true'])
  })

  it('keeps recommendations from non-admins (they show other users\' statements) but explains for everyone', async () => {
    const calls: string[] = []
    const denied = await graphql({ schema: buildSchema(), source: `{ indexRecommendations(datasetId: "d1") { id } }`, contextValue: contextFor('VIEWER', calls) })
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN')
    const response = await graphql({
      schema: buildSchema(),
      source: `{ explain(query: "SELECT 1", analyze: true) { summary plan { nodeType children { relation filter } } } }`,
      contextValue: contextFor('VIEWER', calls),
    })
    expect(response.errors).toBeUndefined()
    expect(response.data?.explain).toEqual({
      summary: explained.summary, plan: { nodeType: 'Limit', children: [{ relation: 'assets', filter: "(name = 'x')" }] },
    })
    expect(calls).toEqual(['explain SELECT 1 viewer true'])
  })
})
