import type { PlanSummary } from './telemetry-types.ts'

export interface ExplainSummaryOptions {
  /** A sequential scan is worth reporting when it reads at least this many rows. Default 10 000. */
  largeTableRows?: number
  /** Estimated and actual rows of a node differing by this factor count as a misestimate. Default 10. */
  misestimateFactor?: number
  /** Misestimates below this many rows (either side) are noise, not a planning problem. Default 100. */
  misestimateMinRows?: number
  /** Longest list kept per finding kind. Default 10. */
  maxFindings?: number
}

type Node = Record<string, unknown> & { Plans?: Node[] }

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null)

function* walk(node: Node): Generator<Node> {
  yield node
  for (const child of node.Plans ?? []) yield* walk(child)
}

/** "Seq Scan on orders", "Sort by amount": enough to find the node in the full plan. */
function label(node: Node): string {
  const type = String(node['Node Type'] ?? 'Node')
  if (typeof node['Relation Name'] === 'string') return `${type} on ${node['Relation Name']}`
  const keys = node['Sort Key']
  if (Array.isArray(keys) && keys.length > 0) return `${type} by ${keys.join(', ').slice(0, 200)}`
  return type
}

/**
 * Rows a scan looked at: with ANALYZE the rows it returned plus those its filter dropped, over all loops;
 * without, the planner's output estimate (a lower bound of what it reads).
 */
function rowsRead(node: Node): number {
  const actual = num(node['Actual Rows'])
  if (actual === null) return num(node['Plan Rows']) ?? 0
  const loops = num(node['Actual Loops']) ?? 1
  return Math.round((actual + (num(node['Rows Removed by Filter']) ?? 0)) * loops)
}

/** Sort nodes that spilled, in the leader or in any parallel worker. */
function diskSpill(node: Node): number | null {
  const places = [node, ...(Array.isArray(node.Workers) ? (node.Workers as Node[]) : [])]
  const spilled = places.filter((p) => p['Sort Space Type'] === 'Disk')
  return spilled.length ? spilled.reduce((kb, p) => kb + (num(p['Sort Space Used']) ?? 0), 0) : null
}

/**
 * What a bottleneck's latest EXPLAIN (FORMAT JSON) says about why it is slow: sequential scans over large
 * tables, sorts spilling to disk and row misestimates (the last two only with ANALYZE, which measures them).
 */
export function explainPlanSummary(explain: unknown, capturedAt: Date, options: ExplainSummaryOptions = {}): PlanSummary {
  const root = (Array.isArray(explain) ? explain[0] : explain) as Record<string, unknown> | undefined
  const plan = root?.Plan as Node | undefined
  if (!plan || typeof plan !== 'object') throw new Error('not an EXPLAIN (FORMAT JSON) result')
  const large = options.largeTableRows ?? 10_000
  const factor = options.misestimateFactor ?? 10
  const minRows = options.misestimateMinRows ?? 100
  const max = options.maxFindings ?? 10
  const summary: PlanSummary = {
    capturedAt,
    totalCost: num(plan['Total Cost']),
    executionMs: num(root?.['Execution Time']),
    seqScans: [],
    diskSorts: [],
    misestimates: [],
  }
  for (const node of walk(plan)) {
    if (node['Node Type'] === 'Seq Scan' && typeof node['Relation Name'] === 'string' && rowsRead(node) >= large) {
      summary.seqScans.push({ table: node['Relation Name'], rows: rowsRead(node) })
    }
    const spillKb = diskSpill(node)
    if (spillKb !== null) summary.diskSorts.push({ node: label(node), spaceKb: spillKb })
    const estimated = num(node['Plan Rows'])
    const actual = num(node['Actual Rows'])
    if (estimated !== null && actual !== null && Math.max(estimated, actual) >= minRows &&
      Math.max(estimated, actual) / Math.max(Math.min(estimated, actual), 1) >= factor) {
      summary.misestimates.push({ node: label(node), estimatedRows: estimated, actualRows: actual })
    }
  }
  summary.seqScans = summary.seqScans.sort((a, b) => b.rows - a.rows).slice(0, max)
  summary.diskSorts = summary.diskSorts.sort((a, b) => b.spaceKb - a.spaceKb).slice(0, max)
  const skew = (m: PlanSummary['misestimates'][number]) => Math.max(m.estimatedRows, m.actualRows) / Math.max(Math.min(m.estimatedRows, m.actualRows), 1)
  summary.misestimates = summary.misestimates.sort((a, b) => skew(b) - skew(a)).slice(0, max)
  return summary
}
