import { describe, expect, it } from 'vitest'
import { createPerformanceRecorder } from './performance-recorder.ts'

describe('performance recorder', () => {
  it('evicts the operation recorded least recently, and starts it afresh when it comes back', () => {
    let now = 1_000_000
    const recorder = createPerformanceRecorder({ clock: { now: () => now }, maxOperations: 2 })
    const run = (name: string, type: 'query' | 'mutation' = 'query') => {
      now += 10
      recorder.operation({ name, type, durationMs: 1, error: null })
    }
    run('A')
    run('B')
    run('A')
    run('A', 'mutation') // a full table: B is the least recent, A as a query was just seen
    const counts = () => Object.fromEntries(recorder.topOperations(10).map((o) => [o.key, o.windows[0]!.count]))
    expect(counts()).toEqual({ 'query A': 2, 'mutation A': 1 })
    run('B')
    run('B')
    expect(counts()).toEqual({ 'mutation A': 1, 'query B': 2 })
  })

  it('keeps one series per fingerprint, its plan, and the overall cache ratio', () => {
    const recorder = createPerformanceRecorder({ clock: { now: () => 5_000 } })
    const statement = (cacheLevel: 'L1' | null) =>
      recorder.statement({ fingerprint: 'f1', sql: 'select 1', durationMs: 2, rows: 3, error: null, cacheLevel, datasets: ['d1'] })
    statement(null)
    statement('L1')
    const plan = { capturedAt: new Date(5_000), totalCost: 1, executionMs: 0.1, seqScans: [], diskSorts: [], misestimates: [] }
    recorder.plan('f1', plan)
    recorder.plan('unknown', plan)
    expect(recorder.bottlenecks(5)).toMatchObject([{ fingerprint: 'f1', calls: 2, rows: 6, cacheHitRatio: 0.5, plan }])
    expect(recorder.cacheRatio(60_000)).toEqual({ ratio: 0.5, requests: 2 })
  })
})
