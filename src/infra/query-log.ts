import type { LogEvent } from 'kysely'

/** The last statements sent through the pooled Kysely, numbered, so tests can see what one request issued. */
export interface QueryLog {
  /** Sequence number of the latest statement. */
  position(): number
  /** SQL of the statements after `position` that are still in the window. */
  since(position: number): string[]
  /** Kysely's `log` option. */
  record(event: LogEvent): void
}

export function createQueryLog(capacity = 2_000): QueryLog {
  const ring: string[] = new Array(capacity)
  let count = 0
  return {
    position: () => count,
    since(position) {
      const from = Math.max(position, count - capacity)
      return Array.from({ length: count - from }, (_, i) => ring[(from + i) % capacity]!)
    },
    record(event) {
      ring[count % capacity] = event.query.sql
      count += 1
    },
  }
}
