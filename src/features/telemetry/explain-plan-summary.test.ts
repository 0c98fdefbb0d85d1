import { describe, expect, it } from 'vitest'
import { explainPlanSummary } from './explain-plan-summary.ts'

const at = new Date('2026-01-01T00:00:00Z')

/** Shaped like PostgreSQL's EXPLAIN (ANALYZE, FORMAT JSON) output for a sort over a filtered join. */
const analyzed = [{
  Plan: {
    'Node Type': 'Sort', 'Total Cost': 5120.5, 'Plan Rows': 50, 'Actual Rows': 48_000, 'Actual Loops': 1,
    'Sort Key': ['o.amount DESC'], 'Sort Space Used': 2_400, 'Sort Space Type': 'Disk',
    Plans: [{
      'Node Type': 'Hash Join', 'Plan Rows': 50, 'Actual Rows': 48_000, 'Actual Loops': 1,
      Plans: [
        { 'Node Type': 'Seq Scan', 'Relation Name': 'orders', 'Plan Rows': 60_000, 'Actual Rows': 48_000, 'Actual Loops': 1, 'Rows Removed by Filter': 52_000 },
        { 'Node Type': 'Seq Scan', 'Relation Name': 'regions', 'Plan Rows': 12, 'Actual Rows': 12, 'Actual Loops': 1 },
        {
          'Node Type': 'Gather Merge', 'Plan Rows': 10, 'Actual Rows': 10, 'Actual Loops': 1,
          Plans: [{ 'Node Type': 'Sort', 'Sort Key': ['x'], 'Plan Rows': 5, 'Actual Rows': 5, 'Actual Loops': 3, 'Sort Space Type': 'Memory', 'Sort Space Used': 25,
            Workers: [{ 'Worker Number': 0, 'Sort Space Used': 700, 'Sort Space Type': 'Disk' }, { 'Worker Number': 1, 'Sort Space Used': 600, 'Sort Space Type': 'Disk' }] }],
        },
      ],
    }],
  },
  'Planning Time': 0.4,
  'Execution Time': 812.25,
}]

describe('explainPlanSummary', () => {
  it('finds large sequential scans, disk sorts (leader and workers) and misestimated nodes', () => {
    const summary = explainPlanSummary(analyzed, at)
    expect(summary).toMatchObject({ capturedAt: at, totalCost: 5120.5, executionMs: 812.25 })
    expect(summary.seqScans).toEqual([{ table: 'orders', rows: 100_000 }])
    expect(summary.diskSorts).toEqual([{ node: 'Sort by o.amount DESC', spaceKb: 2_400 }, { node: 'Sort by x', spaceKb: 1_300 }])
    expect(summary.misestimates).toEqual([
      { node: 'Sort by o.amount DESC', estimatedRows: 50, actualRows: 48_000 },
      { node: 'Hash Join', estimatedRows: 50, actualRows: 48_000 },
    ])
  })

  it('uses estimates without ANALYZE and honours the large-table threshold', () => {
    const plain = [{ Plan: { 'Node Type': 'Seq Scan', 'Relation Name': 'events', 'Total Cost': 90, 'Plan Rows': 4_000 } }]
    expect(explainPlanSummary(plain, at).seqScans).toEqual([])
    const summary = explainPlanSummary(plain, at, { largeTableRows: 1_000 })
    expect(summary).toEqual({ capturedAt: at, totalCost: 90, executionMs: null, seqScans: [{ table: 'events', rows: 4_000 }], diskSorts: [], misestimates: [] })
  })

  it('refuses input that is not an EXPLAIN result', () => {
    expect(() => explainPlanSummary([{ rows: [] }], at)).toThrow(/EXPLAIN/)
  })
})
