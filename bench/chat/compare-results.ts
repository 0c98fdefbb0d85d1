/** Cells compared by value: numbers (also numeric strings) to 6 decimals, everything else as text. */
const canonical = (value: unknown) => {
  if (value === null || value === undefined) return null
  if (typeof value === 'number' || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))) return Number(Number(value).toFixed(6))
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  return String(value)
}

const rowKey = (row: readonly unknown[]) => JSON.stringify(row.map(canonical))

/**
 * Does the chat's result hold the gold result? Rows are compared as multisets (as sequences when the
 * question asks for an order). When the chat returned more columns than the gold query and every gold
 * column is among them by name, the chat's rows are first projected onto the gold columns.
 */
export const sameResult = (
  gold: { columns: readonly string[]; rows: readonly unknown[][] },
  actual: { columns: readonly string[]; rows: readonly unknown[][] },
  ordered: boolean,
): boolean => {
  let rows = actual.rows
  if (actual.columns.length !== gold.columns.length) {
    const positions = gold.columns.map((c) => actual.columns.indexOf(c))
    if (positions.some((p) => p < 0)) return false
    rows = rows.map((r) => positions.map((p) => r[p]))
  }
  const a = rows.map(rowKey)
  const b = gold.rows.map(rowKey)
  if (!ordered) {
    a.sort()
    b.sort()
  }
  return a.length === b.length && a.every((key, i) => key === b[i])
}
