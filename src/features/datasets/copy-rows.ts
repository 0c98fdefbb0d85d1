import type { CopyEncoder } from './copy-encoder.ts'

/**
 * COPY text for a batch of records: the `_row` ordinal (from `firstRow`), then each cell through its column's
 * encoder, tab-separated, one line per record. Cells are encoded in place and each record joined once: `+=` per
 * cell would allocate a rope node per piece, which costs more in garbage collection than it saves.
 */
export function copyRows(records: string[][], encoders: readonly CopyEncoder[], firstRow: number): string {
  const width = encoders.length
  const lines: string[] = new Array(records.length + 1)
  let row = firstRow
  for (let r = 0; r < records.length; r++) {
    const record = records[r]!
    for (let i = 0; i < width; i++) record[i] = encoders[i]!(record[i]!)
    lines[r] = `${row++}\t${record.join('\t')}`
  }
  // The empty last element gives the final newline without another copy of the text.
  lines[records.length] = ''
  return lines.join('\n')
}
