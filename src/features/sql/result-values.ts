import { parsePgArray } from './pg-array.ts'

/** PostgreSQL type oids whose text form is converted; everything else stays the server's text. */
const OID = {
  bool: 16,
  int2: 21,
  int4: 23,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
  timestamp: 1114,
  timestamptz: 1184,
  jsonb: 3802,
} as const

const toNumber = (text: string) => Number(text)
// NaN and ±Infinity have no JSON form: keep the server's spelling rather than turning them into null.
const toFloat = (text: string) => (/^-?\d/.test(text) ? Number(text) : text)
// `2026-01-02 03:04:05.123456+00` → ISO 8601, keeping every fractional digit (a JS Date would drop microseconds).
const toIsoTimestamp = (text: string) =>
  /^\d{4,}-\d\d-\d\d \d/.test(text) ? text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00').replace(/\+00:00$/, 'Z') : text

const converters: ReadonlyMap<number, (text: string) => unknown> = new Map<number, (text: string) => unknown>([
  [OID.bool, (text) => text === 't'],
  [OID.int2, toNumber],
  [OID.int4, toNumber],
  [OID.oid, toNumber],
  [OID.float4, toFloat],
  [OID.float8, toFloat],
  [OID.json, (text) => JSON.parse(text)],
  [OID.jsonb, (text) => JSON.parse(text)],
  [OID.timestamp, toIsoTimestamp],
  [OID.timestamptz, toIsoTimestamp],
])

/** Array type oid → element type oid, for the arrays whose elements have a JSON form worth giving. */
const ARRAY_ELEMENTS: ReadonlyMap<number, number> = new Map([
  [1000, 16], [1005, 21], [1007, 23], [1016, 20], [1021, 700], [1022, 701], [1231, 1700], [1009, 25], [1015, 1043],
  [1014, 1042], [1182, 1082], [1115, 1114], [1185, 1184], [199, 114], [3807, 3802], [2951, 2950], [1187, 1186],
])

/** int8[] and numeric[]: elements stay strings, like their scalar forms. */
const EXACT_ARRAYS: ReadonlySet<number> = new Set([1016, 1231])

function convertValue(oid: number, text: string): unknown {
  const element = ARRAY_ELEMENTS.get(oid)
  if (element !== undefined) return convertArray(text, element)
  const convert = converters.get(oid)
  return convert ? convert(text) : text
}

function convertArray(text: string, element: number): unknown {
  try {
    return convertNested(parsePgArray(text), element)
  } catch {
    // Not the server's array text (a driver that parsed it already, or a future format): keep what came.
    return text
  }
}

function convertNested(items: unknown[], oid: number): unknown[] {
  return items.map((item) => (Array.isArray(item) ? convertNested(item, oid) : item === null ? null : convertValue(oid, item as string)))
}

/**
 * Turns one row of raw text values into JSON values by column type. int8 and numeric stay strings (a JS number
 * would lose precision); arrays of common types become JSON arrays converted the same way; dates, intervals
 * and all other types keep PostgreSQL's text form.
 */
export function convertRow(row: readonly unknown[], typeOids: readonly number[]): unknown[] {
  return row.map((value, i) => {
    if (value === null || value === undefined) return null
    const oid = typeOids[i] ?? 0
    return Array.isArray(value) ? jsonSafe(value, EXACT_ARRAYS.has(oid)) : convertValue(oid, String(value))
  })
}

/**
 * PGlite parses arrays itself even in raw mode (its array parsers ignore the raw overrides): int8 elements
 * arrive as BigInt and dates as Date. Make them JSON-safe without losing digits until the backend returns text.
 */
function jsonSafe(value: unknown, exact: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => jsonSafe(item, exact))
  if (typeof value === 'bigint' || (exact && typeof value === 'number')) return value.toString()
  if (value instanceof Date) return value.toISOString()
  return value
}
