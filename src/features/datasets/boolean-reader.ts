const TRUE = new Set(['true', 'yes', 'y', 't'])
const FALSE = new Set(['false', 'no', 'n', 'f'])

/** Words accepted as booleans (case-insensitive). `1`/`0` are left to the integer reader. */
export const BOOLEAN_TRUE_WORDS = [...TRUE]

/** true/false, yes/no, Y/N, t/f in any case; the format names the pairs seen, e.g. `yes/no`. */
export function createBooleanReader() {
  const seen = new Set<string>()

  function accept(cell: string): boolean {
    if (cell.length > 5) return false
    const word = cell.toLowerCase()
    if (!TRUE.has(word) && !FALSE.has(word)) return false
    seen.add(word)
    return true
  }

  function result(): { format: string } | null {
    if (seen.size === 0) return null
    const pairs = [['true', 'false'], ['yes', 'no'], ['y', 'n'], ['t', 'f']].filter(([a, b]) => seen.has(a!) || seen.has(b!))
    return { format: pairs.map((p) => p.join('/')).join(', ') }
  }

  return { accept, result }
}
