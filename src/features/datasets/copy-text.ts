const SPECIAL = /[\\\t\n\r]/
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }

/**
 * One value in COPY text format. Backslashes are doubled, so cell text such as `\N` or a line holding only
 * `\.` arrives as data, never as NULL or end-of-data; an empty cell is the only NULL.
 */
export function copyTextValue(cell: string): string {
  if (cell === '') return '\\N'
  if (!SPECIAL.test(cell)) return cell
  return cell.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!)
}
