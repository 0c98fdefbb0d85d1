import { describe, expect, it } from 'vitest'
import { planFindings } from './plan-findings.ts'
import type { PlanJson } from './plan-tree.ts'

const scan = (extra: Record<string, unknown> = {}): PlanJson => ({
  'Node Type': 'Seq Scan', 'Relation Name': 'assets', Alias: 'assets', 'Total Cost': 18_000, 'Plan Rows': 500, ...extra,
})
const node = (type: string, children: PlanJson[], extra: Record<string, unknown> = {}): PlanJson => ({ 'Node Type': type, 'Total Cost': 20_000, 'Plan Rows': 10, Plans: children, ...extra })
const tableRows = () => 1_000_000

describe('plan findings', () => {
  it('a sequential scan whose filter keeps few rows', () => {
    expect(planFindings(scan({ Filter: "(manufacturer = 'M1')" }), { tableRows })).toEqual([
      { kind: 'SEQ_SCAN_FILTER', relation: 'assets', alias: 'assets', rowsRead: 1_000_000, rowsKept: 500, cost: 18_000 },
    ])
  })

  it('uses actual rows and rows removed with ANALYZE', () => {
    const analysed = scan({ Filter: 'x', 'Actual Rows': 527, 'Actual Loops': 1, 'Rows Removed by Filter': 999_473 })
    expect(planFindings(analysed, { tableRows: () => null })[0]).toMatchObject({ rowsRead: 1_000_000, rowsKept: 527 })
  })

  it('no finding for a full-table aggregate, an unselective filter or a small table', () => {
    expect(planFindings(node('Aggregate', [scan({ 'Plan Rows': 1_000_000 })]), { tableRows })).toEqual([])
    expect(planFindings(scan({ Filter: 'x', 'Plan Rows': 600_000 }), { tableRows })).toEqual([])
    expect(planFindings(scan({ Filter: 'x', 'Plan Rows': 1 }), { tableRows: () => 200 })).toEqual([])
  })

  it('an aggregate over a filtered scan', () => {
    const plan = node('Aggregate', [node('Gather', [scan({ 'Node Type': 'Parallel Seq Scan', Filter: 'x' })])])
    expect(planFindings(plan, { tableRows }).map((f) => f.kind)).toEqual(['FILTERED_AGGREGATE'])
  })

  it('a sort feeding a LIMIT, also through Gather Merge', () => {
    const plan = node('Limit', [node('Gather Merge', [node('Sort', [scan({ 'Plan Rows': 900_000 })])])])
    expect(planFindings(plan, { tableRows }).map((f) => f.kind)).toEqual(['SORT_FOR_LIMIT'])
    const noLimit = node('Sort', [scan({ 'Plan Rows': 900_000 })])
    expect(planFindings(noLimit, { tableRows })).toEqual([])
  })

  it('a nested loop rescanning its inner table', () => {
    const outer = { 'Node Type': 'Seq Scan', 'Relation Name': 'sites', 'Plan Rows': 10, 'Total Cost': 1 } as PlanJson
    const plan = node('Nested Loop', [outer, node('Materialize', [scan({ 'Plan Rows': 1_000_000 })])])
    expect(planFindings(plan, { tableRows: (r) => (r === 'assets' ? 1_000_000 : 10) }).map((f) => `${f.kind} ${f.relation}`)).toEqual(['NESTED_LOOP_SCAN assets'])
  })
})
