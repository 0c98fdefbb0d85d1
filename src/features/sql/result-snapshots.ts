import { randomUUID } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import type { ResultColumn, SqlResult } from './sql-types.ts'

/** A whole (capped) result kept so later pages are slices, not re-executions with OFFSET. */
export interface ResultSnapshot {
  /** Who may page through it: the viewer's access scope. */
  scope: string
  /** Statement shape plus constants and params: a cursor only continues the query that produced it. */
  identity: string
  columns: ResultColumn[]
  rows: unknown[][]
  fingerprint: string
  datasets: SqlResult['datasets']
  durationMs: number
}

export interface ResultSnapshots {
  put(snapshot: ResultSnapshot): string
  get(id: string): ResultSnapshot | undefined
  stop(): void
}

export interface ResultSnapshotOptions {
  /** Upper bound on the memory all snapshots may hold (approximate, by text size). Default 64 MiB. */
  maxBytes?: number
  /** How long a client has to ask for the next page. Default 10 minutes. */
  ttlMs?: number
}

// Rough but monotonic: text length plus a per-cell overhead; exact accounting would cost more than it saves.
const sizeOf = (snapshot: ResultSnapshot) =>
  Math.max(1, snapshot.rows.reduce<number>((sum, row) => sum + row.reduce<number>((s, v) => s + 16 + (typeof v === 'string' ? v.length * 2 : 8), 0), 0))

export function createResultSnapshots({ maxBytes = 64 * 1024 ** 2, ttlMs = 600_000 }: ResultSnapshotOptions = {}): ResultSnapshots {
  const store = new LRUCache<string, ResultSnapshot>({ maxSize: maxBytes, ttl: ttlMs, sizeCalculation: sizeOf })
  return {
    put(snapshot) {
      const id = randomUUID()
      store.set(id, snapshot)
      return id
    },
    get: (id) => store.get(id),
    stop: () => store.clear(),
  }
}
