import type { PlanNodeView } from './optimizer-types.ts'

/** A node of `EXPLAIN (FORMAT JSON)` output (keys as PostgreSQL spells them). */
export type PlanJson = Record<string, unknown> & { 'Node Type': string; Plans?: PlanJson[] }

/** The top of `EXPLAIN (FORMAT JSON)` output: one element per statement. */
export interface ExplainJson {
  Plan: PlanJson
  'Planning Time'?: number
  'Execution Time'?: number
}

/** EXPLAIN's single JSON value arrives as text or parsed, depending on the driver. */
export function parseExplain(raw: unknown): ExplainJson {
  const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as ExplainJson[]
  const first = parsed[0]
  if (!first?.Plan) throw new Error('EXPLAIN returned no plan')
  return first
}

const num = (value: unknown): number | null => (typeof value === 'number' ? value : null)
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null)

/** What else a reader wants to see on a node, in PostgreSQL's own words. */
function detailOf(node: PlanJson): string | null {
  const parts: string[] = []
  const sortKey = node['Sort Key'] as string[] | undefined
  if (sortKey) parts.push(`Sort Key: ${sortKey.join(', ')}`)
  const groupKey = node['Group Key'] as string[] | undefined
  if (groupKey) parts.push(`Group Key: ${groupKey.join(', ')}`)
  for (const field of ['Index Cond', 'Recheck Cond', 'Hash Cond', 'Join Filter', 'Join Type', 'Strategy']) {
    const value = str(node[field])
    if (value) parts.push(`${field}: ${value}`)
  }
  return parts.length > 0 ? parts.join('; ') : null
}

/** Reduces a plan node (recursively) to the fields the API shows. */
export function planView(node: PlanJson): PlanNodeView {
  const schema = str(node.Schema)
  const relation = str(node['Relation Name'])
  return {
    nodeType: node['Node Type'],
    relation: relation === null ? null : schema ? `${schema}.${relation}` : relation,
    indexName: str(node['Index Name']),
    startupCost: num(node['Startup Cost']) ?? 0,
    totalCost: num(node['Total Cost']) ?? 0,
    planRows: num(node['Plan Rows']) ?? 0,
    actualRows: num(node['Actual Rows']),
    actualTimeMs: num(node['Actual Total Time']),
    loops: num(node['Actual Loops']),
    filter: str(node.Filter),
    rowsRemovedByFilter: num(node['Rows Removed by Filter']),
    detail: detailOf(node),
    children: (node.Plans ?? []).map(planView),
  }
}

/** Every node with its parent, depth first. */
export function* planNodes(node: PlanJson, parent: PlanJson | null = null): Generator<{ node: PlanJson; parent: PlanJson | null }> {
  yield { node, parent }
  for (const child of node.Plans ?? []) yield* planNodes(child, node)
}

/** Names of the indexes a plan reads (to tell which indexes the workload uses). */
export function indexesUsed(plan: PlanJson): string[] {
  const names = new Set<string>()
  for (const { node } of planNodes(plan)) {
    const name = str(node['Index Name'])
    if (name) names.add(name)
  }
  return [...names]
}
