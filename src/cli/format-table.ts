/** Renders rows as an aligned text table, as psql does, with values shortened to keep lines readable. */
export function formatTable(columns: string[], rows: unknown[][], maxWidth = 40): string {
  const cell = (value: unknown) => {
    const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)
    const flat = text.replace(/\s+/g, ' ')
    return flat.length > maxWidth ? `${flat.slice(0, maxWidth - 1)}…` : flat
  }
  const body = rows.map((row) => row.map(cell))
  const widths = columns.map((c, i) => Math.max(c.length, ...body.map((r) => r[i]!.length)))
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join(' | ').trimEnd()
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('-+-'), ...body.map(line), `(${rows.length} row${rows.length === 1 ? '' : 's'})`].join('\n')
}
