import type { ColumnInference, ColumnType } from './dataset-types.ts'
import { createBooleanReader } from './boolean-reader.ts'
import { createDateReader } from './date-reader.ts'
import { createNumberReader } from './number-reader.ts'
import { createTimestampReader } from './timestamp-reader.ts'

interface Candidate {
  type: ColumnType
  format: string | null
  ambiguous: number
}

interface Reader {
  accept(cell: string): boolean
  result(): Candidate | null
  hits: number
  misses: number
}

/** After this many misses a reader stops looking: the column is plainly not that type. */
const MAX_MISSES = 100
const MAX_REJECTED = 5

function readers(): Reader[] {
  const bool = createBooleanReader()
  const num = createNumberReader()
  const date = createDateReader()
  const ts = createTimestampReader()
  const wrap = (accept: (c: string) => boolean, result: () => Candidate | null): Reader => ({ accept, result, hits: 0, misses: 0 })
  // Order is priority: the first reader that accepted every cell decides.
  return [
    wrap(bool.accept, () => (bool.result() ? { type: 'boolean', format: bool.result()!.format, ambiguous: 0 } : null)),
    wrap(num.accept, num.result),
    wrap(date.accept, () => (date.result() ? { type: 'date', ...date.result()! } : null)),
    wrap(ts.accept, () => (ts.result() ? { ...ts.result()!, ambiguous: 0 } : null)),
  ]
}

export interface ColumnInferenceResult {
  inference: ColumnInference
  nullCount: number
}

/**
 * Decides one column's type from every cell (not a sample), in one pass and constant memory. Empty and
 * whitespace-only cells are NULL. Confidence: for a typed column, 1 unless a convention (month-first, decimal
 * comma) had to be assumed, less the share of cells readable both ways; for text, 1 minus the largest share of
 * cells another type would have read, so a number column spoiled by a few `N/A` shows up as low-confidence text.
 */
export function createColumnInference() {
  const all = readers()
  let active = all
  let nullCount = 0
  let nonEmpty = 0
  const rejected = new Set<string>()

  function observe(raw: string): void {
    let cell = raw
    if (cell === '') { nullCount++; return }
    if (cell.charCodeAt(0) <= 32 || cell.charCodeAt(cell.length - 1) <= 32) {
      cell = cell.trim()
      if (cell === '') { nullCount++; return }
    }
    nonEmpty++
    let dropped = false
    for (const reader of active) {
      if (reader.accept(cell)) { reader.hits++; continue }
      if (reader.hits > 0 && reader.misses === 0 && rejected.size < MAX_REJECTED) rejected.add(raw)
      if (++reader.misses > MAX_MISSES) dropped = true
    }
    if (dropped) active = active.filter((r) => r.misses <= MAX_MISSES)
  }

  function result(): ColumnInferenceResult {
    const examplesRejected = [...rejected]
    const winner = nonEmpty === 0 ? null : all.find((r) => r.misses === 0 && r.result() !== null)
    const candidate = winner?.result()
    if (!candidate) {
      const best = Math.max(0, ...all.map((r) => r.hits))
      const confidence = nonEmpty === 0 ? 0 : 1 - best / nonEmpty
      return { nullCount, inference: { type: 'text', confidence, examplesRejected, format: null } }
    }
    const confidence = 1 - (0.5 * candidate.ambiguous) / nonEmpty
    return { nullCount, inference: { type: candidate.type, confidence, examplesRejected, format: candidate.format } }
  }

  return { observe, result }
}
