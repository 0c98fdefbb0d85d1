/** Lookups between two checks of the hit rate, once the memo is full. */
const WINDOW = 4096

/**
 * Remembers cells a reader accepted, with the ambiguity each one added. Sound because readers only ever
 * narrow their conventions: a cell accepted once stays acceptable and changes nothing but counters, so a
 * repeated value (a date, a category of amounts) costs one map lookup instead of a parse. Bounded; once full,
 * a column of mostly distinct values (amounts, IDs) would pay a hash lookup per cell for almost no hits, so the
 * memo switches itself off when fewer than half of a window of lookups hit.
 */
export function createAcceptedMemo(limit = 4096) {
  const seen = new Map<string, number>()
  let enabled = true
  let lookups = 0
  let hits = 0
  return {
    get(cell: string): number | undefined {
      if (!enabled) return undefined
      const known = seen.get(cell)
      if (seen.size < limit) return known
      if (known !== undefined) hits++
      if (++lookups === WINDOW) {
        enabled = hits * 2 >= lookups
        if (!enabled) seen.clear()
        lookups = hits = 0
      }
      return known
    },
    remember(cell: string, ambiguity: number): void {
      if (enabled && seen.size < limit) seen.set(cell, ambiguity)
    },
  }
}
