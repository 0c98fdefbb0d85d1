export const OTHER_LABEL = 'other'

export interface LabelLimiter {
  /** The value itself when admitted, else `other`. Admits first-come while there is room. */
  label(value: string): string
  /**
   * Re-admits by rank (heaviest first): values that fell out of the top `capacity` make room for newcomers.
   * Returns the evicted values so their Prometheus series can be removed.
   */
  refresh(ranking: readonly string[]): string[]
  admitted(): string[]
}

/** Keeps Prometheus label cardinality at `capacity` + 1 however many fingerprints or operation names appear. */
export function createLabelLimiter(capacity: number): LabelLimiter {
  const admitted = new Set<string>()
  return {
    label(value) {
      if (admitted.has(value)) return value
      if (admitted.size < capacity) {
        admitted.add(value)
        return value
      }
      return OTHER_LABEL
    },
    refresh(ranking) {
      const top = new Set(ranking.slice(0, capacity))
      const newcomers = [...top].filter((v) => !admitted.has(v))
      let room = capacity - admitted.size
      const evicted: string[] = []
      for (const value of admitted) {
        if (newcomers.length <= room) break
        if (!top.has(value)) {
          evicted.push(value)
          room++
        }
      }
      for (const value of evicted) admitted.delete(value)
      for (const value of newcomers) admitted.add(value)
      return evicted
    },
    admitted: () => [...admitted],
  }
}
