import { copyEncoder, plainCopyEncoder, type CopyEncoder } from './copy-encoder.ts'
import type { ColumnInference } from './dataset-types.ts'
import type { CsvBatch } from './open-csv.ts'

/** Per column: the escaping encoder, and the one for records known to need no escaping. */
export interface CopyEncoders {
  escaped: CopyEncoder[]
  plain: CopyEncoder[]
}

export const copyEncoders = (types: readonly ColumnInference[]): CopyEncoders => ({
  escaped: types.map(copyEncoder),
  plain: types.map(plainCopyEncoder),
})

/**
 * COPY text for a batch of records: the `_row` ordinal (from `firstRow`), then each cell through its column's
 * encoder, tab-separated, one line per record. Records the parser did not flag (most of a file) skip the
 * per-cell escaping scan.
 * Cells are encoded in place and each record joined once: `+=` per cell would allocate a rope node per piece,
 * which costs more in garbage collection than it saves.
 */
export function copyRows(batch: CsvBatch, encoders: CopyEncoders, firstRow: number): string {
  const { records, escapes } = batch
  const width = encoders.plain.length
  const lines: string[] = new Array(records.length + 1)
  let row = firstRow
  let flagged = 0
  for (let r = 0; r < records.length; r++) {
    const record = records[r]!
    const escaped = escapes[flagged] === r
    if (escaped) flagged++
    const encode = escaped ? encoders.escaped : encoders.plain
    for (let i = 0; i < width; i++) record[i] = encode[i]!(record[i]!)
    lines[r] = `${row++}\t${record.join('\t')}`
  }
  // The empty last element gives the final newline without another copy of the text.
  lines[records.length] = ''
  return lines.join('\n')
}
