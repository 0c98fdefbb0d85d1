import { describe, expect, it } from 'vitest'
import type { Viewer } from '../auth/viewer.ts'
import { workloadTopStatements, type FrequentStatement } from './workload-top-statements.ts'

const alice: Viewer = { id: 'alice', name: 'Alice', role: 'ANALYST', anonymous: false }
const entry = (sql: string, scope: string, calls: number, errors = 0): FrequentStatement => ({
  sampleSql: sql, sampleParams: [], scope, calls, errors,
})

describe('workloadTopStatements', () => {
  it('maps frequent statements to their viewers, skipping failures and unknown viewers', async () => {
    const asked: unknown[] = []
    const topStatements = workloadTopStatements({
      top: async (options) => {
        asked.push(options)
        return [entry('SELECT 1', 'alice', 9), entry('SELECT bad', 'alice', 3, 3), entry('SELECT 2', 'revoked', 5)]
      },
      viewerOf: async (scope) => (scope === 'alice' ? alice : null),
    })
    expect(await topStatements('ds1', 10)).toEqual([{ sql: 'SELECT 1', params: [], viewer: alice }])
    expect(asked).toEqual([{ datasetId: 'ds1', limit: 10 }])
  })
})
