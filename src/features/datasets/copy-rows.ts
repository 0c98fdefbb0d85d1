import type { CopyEncoder } from './copy-encoder.ts'

/**
 * COPY text for a batch of records: the `_row` ordinal (from `firstRow`), then each cell through its column's
 * encoder, tab-separated, one line per record. Built by appending to one string: V8 keeps the pieces as a rope
 * and flattens it once when it is written out, instead of a join per record plus a join per batch.
 */
export function copyRows(records: readonly string[][], encoders: readonly CopyEncoder[], firstRow: number): string {
  const width = encoders.length
  let out = ''
  let row = firstRow
  for (let r = 0; r < records.length; r++) {
    const record = records[r]!
    out += row++
    for (let i = 0; i < width; i++) out += '\t' + encoders[i]!(record[i]!)
    out += '\n'
  }
  return out
}
