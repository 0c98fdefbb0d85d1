export const DELIMITERS = [',', ';', '\t', '|'] as const
export type Delimiter = (typeof DELIMITERS)[number]

/** Field counts per line for one candidate over the sample, quotes respected; the last partial line is dropped. */
function fieldCounts(sample: string, delimiter: string, maxLines: number): number[] {
  const counts: number[] = []
  let fields = 1
  let quoted = false
  for (let i = 0; i < sample.length && counts.length < maxLines; i++) {
    const c = sample[i]
    if (c === '"') quoted = !quoted
    else if (quoted) continue
    else if (c === delimiter) fields++
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && sample[i + 1] === '\n') i++
      counts.push(fields)
      fields = 1
    }
  }
  return counts
}

/**
 * The delimiter that splits the first lines into the same number (> 1) of fields most consistently; ties go to
 * the one giving more fields, then to the order of `DELIMITERS`. A file no candidate splits is one column,
 * read with a comma. Only lines ended by a line break count, so a sample cut mid-line is fine; pass the whole
 * file with a line break appended when it is shorter than the sample window.
 */
export function detectDelimiter(sample: string, maxLines = 50): Delimiter {
  let best: { delimiter: Delimiter; score: number; fields: number } = { delimiter: ',', score: 0, fields: 1 }
  for (const delimiter of DELIMITERS) {
    const lines = fieldCounts(sample, delimiter, maxLines)
    const header = lines[0] ?? 1
    if (header < 2) continue
    const score = lines.filter((n) => n === header).length / lines.length
    if (score > best.score || (score === best.score && header > best.fields)) best = { delimiter, score, fields: header }
  }
  return best.delimiter
}
