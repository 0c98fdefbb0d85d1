import { formatBytes, formatCount, formatPercent } from './format-words.ts'
import type { HelpedStatement, IndexCandidate } from './optimizer-types.ts'
import type { SelectedIndex } from './select-indexes.ts'

/** One sentence an operator can act on: what the statements do, what the index saves and what it costs. */
export function recommendationReason(candidate: IndexCandidate, selected: SelectedIndex, helped: readonly HelpedStatement[]): string {
  const calls = helped.reduce((sum, h) => sum + h.calls, 0)
  const saving = selected.before > 0 ? 1 - selected.after / selected.before : 0
  const statements = helped.length === 1 ? '1 frequent statement' : `${helped.length} frequent statements`
  return `${statements} (${formatCount(calls)} calls) on ${candidate.table} use ${candidate.because.join('; ')}. ` +
    `The index cuts their estimated cost by ${formatPercent(saving)} (${formatCount(selected.before)} → ${formatCount(selected.after)}, ` +
    `weighted by calls) for ${formatBytes(selected.evaluation.sizeBytes)} of disk.`
}
