import { promisify } from 'node:util'
import { deserialize, serialize } from 'node:v8'
import { constants, gunzip, gzip } from 'node:zlib'
import type { CacheEntry } from './cache-entry.ts'

const gzipAsync = promisify(gzip)
const gunzipAsync = promisify(gunzip)

// First byte of an L2 value. A reader that meets an unknown tag treats the value as a miss.
const RAW = 1
const GZIP = 2

/**
 * v8 serialization instead of JSON: rows may hold bigint, Date or Buffer values, and a hit must return exactly
 * what the database returned. The byte length doubles as the entry's size for the L1 budget and the entry limit.
 */
export const serializeEntry = (entry: CacheEntry): Buffer => serialize(entry)

/** The L2 value: a tag byte, then the serialized entry, gzipped when large (in the thread pool, off the loop). */
export async function encodeForL2(serialized: Buffer, compressAboveBytes: number): Promise<Buffer> {
  if (serialized.length < compressAboveBytes) return Buffer.concat([Buffer.of(RAW), serialized])
  // Fastest level: compression runs on every fill, and row data compresses well even at level 1.
  const packed = await gzipAsync(serialized, { level: constants.Z_BEST_SPEED })
  return Buffer.concat([Buffer.of(GZIP), packed])
}

/**
 * The entry and its serialized size (the L1 budget counts uncompressed bytes). Null for a value this version
 * cannot read (unknown tag, corrupt body, unexpected shape), so it counts as a miss.
 */
export async function decodeFromL2(value: Buffer): Promise<{ entry: CacheEntry; bytes: number } | null> {
  const tag = value[0]
  if (tag !== RAW && tag !== GZIP) return null
  try {
    const body = tag === GZIP ? await gunzipAsync(value.subarray(1)) : value.subarray(1)
    const entry: unknown = deserialize(body)
    return isCacheEntry(entry) ? { entry, bytes: body.length } : null
  } catch {
    return null
  }
}

function isCacheEntry(value: unknown): value is CacheEntry {
  if (value === null || typeof value !== 'object') return false
  const entry = value as Partial<CacheEntry>
  return (
    typeof entry.fingerprint === 'string' &&
    typeof entry.expiresAt === 'number' &&
    typeof entry.freshUntil === 'number' &&
    Array.isArray(entry.datasetIds) &&
    Array.isArray(entry.result?.rows)
  )
}
