/**
 * Remembers cells a reader accepted, with the ambiguity each one added. Sound because readers only ever
 * narrow their conventions: a cell accepted once stays acceptable and changes nothing but counters, so a
 * repeated value (a date, a category of amounts) costs one map lookup instead of a parse. Bounded.
 */
export function createAcceptedMemo(limit = 4096) {
  const seen = new Map<string, number>()
  return {
    get: (cell: string): number | undefined => seen.get(cell),
    remember(cell: string, ambiguity: number): void {
      if (seen.size < limit) seen.set(cell, ambiguity)
    },
  }
}
