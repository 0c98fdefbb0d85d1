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

/**
 * Turns one row of raw text values into JSON values by column type. int8 and numeric stay strings (a JS number
 * would lose precision); dates, intervals, arrays and all other types keep PostgreSQL's text form.
 */
export function convertRow(row: readonly unknown[], typeOids: readonly number[]): unknown[] {
  return row.map((value, i) => {
    if (value === null || value === undefined) return null
    const convert = converters.get(typeOids[i] ?? 0)
    return convert ? convert(String(value)) : String(value)
  })
}
