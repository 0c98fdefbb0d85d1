import { planNodes, type PlanJson } from './plan-tree.ts'

/** A costly part of a plan that an index could remove. */
export interface PlanFinding {
  kind: 'SEQ_SCAN_FILTER' | 'SORT_FOR_LIMIT' | 'FILTERED_AGGREGATE' | 'NESTED_LOOP_SCAN'
  /** Relation (and alias) the costly part reads. */
  relation: string
  alias: string | null
  /** Rows the scan reads (the table's row estimate, or actual rows read with ANALYZE). */
  rowsRead: number
  /** Rows it keeps after its filter. */
  rowsKept: number
  cost: number
}

export interface FindingOptions {
  /** Estimated rows of each relation (`schema.table` or bare name as EXPLAIN shows it). */
  tableRows: (relation: string, schema: string | null) => number | null
  /** A scan keeping at most this share of the rows counts as selective. Default 0.2. */
  selectiveShare?: number
  /** Tables smaller than this are read faster than any index could help. Default 1000 rows. */
  minRows?: number
}

const SCANS = new Set(['Seq Scan', 'Parallel Seq Scan'])
const num = (value: unknown) => (typeof value === 'number' ? value : 0)

/**
 * Finds the parts of a plan an index could make cheap: sequential scans that filter most rows away, sorts
 * feeding a LIMIT, aggregates over filtered scans and nested loops rescanning a table. A scan without a filter
 * (a full-table aggregate) is no finding: every row is needed, and no index reads fewer.
 */
export function planFindings(plan: PlanJson, options: FindingOptions): PlanFinding[] {
  const share = options.selectiveShare ?? 0.2
  const minRows = options.minRows ?? 1000
  const findings: PlanFinding[] = []
  const ancestors = new Map<PlanJson, PlanJson | null>()
  for (const { node, parent } of planNodes(plan)) ancestors.set(node, parent)
  const above = (node: PlanJson) => {
    const chain: PlanJson[] = []
    for (let up = ancestors.get(node) ?? null; up; up = ancestors.get(up) ?? null) chain.push(up)
    return chain
  }
  for (const { node } of planNodes(plan)) {
    if (!SCANS.has(node['Node Type'])) continue
    const relation = String(node['Relation Name'] ?? '')
    const total = options.tableRows(relation, typeof node.Schema === 'string' ? node.Schema : null)
    const read = readRows(node, total)
    if (read < minRows) continue
    const kept = keptRows(node)
    const chain = above(node)
    const base = { relation, alias: typeof node.Alias === 'string' ? node.Alias : null, rowsRead: read, rowsKept: kept, cost: num(node['Total Cost']) }
    const filtered = typeof node.Filter === 'string' && kept <= read * share
    if (filtered) findings.push({ ...base, kind: chain.some(isAggregate) ? 'FILTERED_AGGREGATE' : 'SEQ_SCAN_FILTER' })
    if (sortForLimit(chain)) findings.push({ ...base, kind: 'SORT_FOR_LIMIT' })
    if (innerOfNestedLoop(node, chain)) findings.push({ ...base, kind: 'NESTED_LOOP_SCAN' })
  }
  return findings
}

/** Rows a scan reads: with ANALYZE the rows it returned plus those its filter removed, else the table's size. */
function readRows(node: PlanJson, total: number | null): number {
  if (typeof node['Actual Rows'] === 'number') {
    const loops = num(node['Actual Loops']) || 1
    return (num(node['Actual Rows']) + num(node['Rows Removed by Filter'])) * loops
  }
  return total ?? num(node['Plan Rows'])
}

const keptRows = (node: PlanJson) =>
  typeof node['Actual Rows'] === 'number' ? num(node['Actual Rows']) * (num(node['Actual Loops']) || 1) : num(node['Plan Rows'])

const isAggregate = (node: PlanJson) => node['Node Type'] === 'Aggregate'

/** Sort (possibly under Gather Merge) directly under a Limit: an ordered index would stop after LIMIT rows. */
function sortForLimit(chain: PlanJson[]): boolean {
  const sortAt = chain.findIndex((n) => n['Node Type'] === 'Sort' || n['Node Type'] === 'Incremental Sort')
  if (sortAt < 0) return false
  const between = chain.slice(0, sortAt)
  if (between.some((n) => !['Gather', 'Gather Merge', 'Result'].includes(n['Node Type']))) return false
  const rest = chain.slice(sortAt + 1)
  const limitAt = rest.findIndex((n) => n['Node Type'] === 'Limit')
  return limitAt >= 0 && rest.slice(0, limitAt).every((n) => n['Node Type'] === 'Gather Merge')
}

/** The scan is the inner (second) side of a nested loop, so it runs once per outer row. */
function innerOfNestedLoop(node: PlanJson, chain: PlanJson[]): boolean {
  const loop = chain.find((n) => n['Node Type'] === 'Nested Loop')
  if (!loop) return false
  const inner = loop.Plans?.[1]
  if (!inner) return false
  return inner === node || (inner['Node Type'] === 'Materialize' && inner.Plans?.[0] === node)
}
