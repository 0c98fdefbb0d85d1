/**
 * JSON with sorted object keys and tagged non-JSON values, so equal inputs always give the same text and
 * values JSON would confuse stay distinct: `1n` vs `1` vs `"1"`, a Date vs its ISO string, `undefined` vs `null`.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value))
}

function canonicalize(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $number: String(value) }
  if (typeof value === 'bigint') return { $bigint: value.toString() }
  if (value === undefined) return { $undefined: true }
  if (value instanceof Date) return { $date: Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString() }
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') }
  if (Array.isArray(value)) return value.map(canonicalize)
  if (typeof value === 'object') return canonicalObject(value as Record<string, unknown>)
  // Functions and symbols have no data identity; refusing them beats silently sharing a key.
  throw new TypeError(`cannot build a cache key from a ${typeof value}`)
}

function canonicalObject(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) out[key] = canonicalize(value[key])
  return out
}
