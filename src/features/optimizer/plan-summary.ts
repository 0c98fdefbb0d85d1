import { keyText } from './index-key.ts'
import { formatCount } from './format-words.ts'
import type { IndexKey, TableUsage } from './optimizer-types.ts'
import { planFindings, type FindingOptions, type PlanFinding } from './plan-findings.ts'
import { planNodes, type PlanJson } from './plan-tree.ts'

/**
 * The plan in plain words: one sentence per costly part with the index that would help, e.g.
 * "Seq Scan on assets reads 1,000,000 rows to keep 527 — an index on manufacturer would help".
 */
export function planSummary(plan: PlanJson, usages: readonly TableUsage[], options: FindingOptions): string[] {
  const findings = planFindings(plan, options)
  const lines = findings.map((f) => sentence(f, usages.find((u) => u.table === f.relation)))
  if (lines.length > 0) return lines
  return [calmSummary(plan)]
}

function sentence(finding: PlanFinding, usage: TableUsage | undefined): string {
  const read = formatCount(finding.rowsRead)
  const kept = formatCount(finding.rowsKept)
  const filterKeys = usage ? [...usage.equality, ...usage.range, ...usage.prefix] : []
  switch (finding.kind) {
    case 'SEQ_SCAN_FILTER':
      return `Seq Scan on ${finding.relation} reads ${read} rows to keep ${kept}${advice(filterKeys.slice(0, 2))}`
    case 'FILTERED_AGGREGATE':
      return `Aggregate over ${finding.relation} reads ${read} rows to use ${kept}${advice(filterKeys.slice(0, 2))}`
    case 'SORT_FOR_LIMIT':
      return `Sort on ${finding.relation} orders ${kept} rows to return only the first few${advice([...(usage?.equality ?? []), ...(usage?.order ?? [])], 'would let it stop early')}`
    case 'NESTED_LOOP_SCAN':
      return `Nested Loop scans ${finding.relation} (${read} rows) again for every outer row${advice(usage?.join ?? [])}`
  }
}

function advice(keys: readonly IndexKey[], effect = 'would help'): string {
  if (keys.length === 0) return ''
  const names = keys.map(keyText)
  return ` — an index on ${names.length === 1 ? names[0] : `(${names.join(', ')})`} ${effect}`
}

/** No finding: say how the plan reads its tables, so "nothing to do" is visibly a conclusion. */
function calmSummary(plan: PlanJson): string {
  const reads = [...planNodes(plan)].map(({ node }) => node).filter((n) => typeof n['Relation Name'] === 'string')
  const cost = formatCount(Number(plan['Total Cost'] ?? 0))
  if (reads.length === 0) return `The plan reads no table (estimated cost ${cost}); no index applies.`
  const parts = reads.map((n) => `${n['Node Type']}${n['Index Name'] ? ` using ${n['Index Name']}` : ''} on ${n['Relation Name']}`)
  const full = reads.some((n) => String(n['Node Type']).includes('Seq Scan'))
  return `${parts.join(', ')} (estimated cost ${cost}). ${full ? 'It needs every row (no selective filter), so no index would make it cheaper.' : 'Indexes are already used; no costly part found.'}`
}
