import { isValidDate } from './date-reader.ts'

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s?(Z|[+-]\d{2}(?::?\d{2})?)?$/

/**
 * ISO 8601 timestamps (`2021-03-15 14:30`, `2021-03-15T14:30:00.123Z`). All cells with a zone → timestamptz,
 * none → timestamp; a column mixing both is not a timestamp, since the zone-less ones have no defined instant.
 */
export function createTimestampReader() {
  let zoned: boolean | null = null

  function accept(cell: string): boolean {
    const m = TIMESTAMP.exec(cell)
    if (!m) return false
    if (!isValidDate(Number(m[1]), Number(m[2]), Number(m[3]))) return false
    if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59) return false
    const hasZone = m[7] !== undefined
    if (zoned !== null && zoned !== hasZone) return false
    zoned = hasZone
    return true
  }

  const result = () => (zoned === null ? null : { type: zoned ? ('timestamptz' as const) : ('timestamp' as const), format: zoned ? 'ISO 8601 with zone' : 'ISO 8601' })
  return { accept, result }
}
