import { GLOBAL_GENERATION } from './cache-key.ts'
import { UNAVAILABLE, type L2Store } from './l2-store.ts'

/**
 * Invalidation generations per dataset, shared through Redis (INCR) and mirrored locally. They sit in the key
 * beside the dataset version, so an admin invalidation makes old entries unreachable without sweeping Redis.
 * Local values only move forward: a missed or reordered message can never bring back an older generation.
 */
export interface DatasetGenerations {
  /** Generations for these datasets plus the global one; loads unknown ones from Redis once. */
  current(datasetIds: readonly string[]): Promise<ReadonlyMap<string, number>>
  /** Moves a generation forward (in Redis when it answers, else locally) and returns the new value. */
  bump(name: string): Promise<{ generation: number; shared: boolean }>
  /** A peer announced a generation. */
  apply(name: string, generation: number): void
  /** Re-reads every known generation from Redis, for after a pub/sub gap in which messages may have been lost. */
  resync(): Promise<void>
}

export function createDatasetGenerations(deps: { l2: L2Store | null }): DatasetGenerations {
  const { l2 } = deps
  const known = new Map<string, number>()
  // Names whose Redis value is not known yet (Redis was down at first sight); retried on the next lookup.
  const unsynced = new Set<string>()

  const raise = (name: string, generation: number) => {
    known.set(name, Math.max(known.get(name) ?? 0, generation))
  }
  const load = async (names: string[]) => {
    for (const name of names) if (!known.has(name)) known.set(name, 0)
    if (!l2) return
    const values = await l2.generations(names)
    if (values === UNAVAILABLE) {
      for (const name of names) unsynced.add(name)
      return
    }
    names.forEach((name, i) => {
      raise(name, values[i] ?? 0)
      unsynced.delete(name)
    })
  }

  return {
    async current(datasetIds) {
      const names = [GLOBAL_GENERATION, ...datasetIds]
      const missing = names.filter((name) => !known.has(name) || unsynced.has(name))
      if (missing.length > 0) await load(missing)
      return known
    },
    async bump(name) {
      const shared = l2 ? await l2.bumpGeneration(name, known.get(name) ?? 0) : UNAVAILABLE
      if (shared !== UNAVAILABLE) {
        raise(name, shared)
        return { generation: known.get(name)!, shared: true }
      }
      const local = (known.get(name) ?? 0) + 1
      known.set(name, local)
      return { generation: local, shared: false }
    },
    apply: raise,
    async resync() {
      if (known.size > 0) await load([...known.keys()])
    },
  }
}
