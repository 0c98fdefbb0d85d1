import { MAX_IDENTIFIER_BYTES, reservedNames, snakeCase, truncateBytes } from './sql-names.ts'

/** The hidden ordinal column every dataset table carries; no user column may take its name. */
export const ROW_COLUMN = '_row'

/** Leaves room for a `_NNNN` de-duplication suffix inside PostgreSQL's 63-byte limit. */
const BASE_BYTES = MAX_IDENTIFIER_BYTES - 6

function baseName(header: string, position: number): string {
  let name = snakeCase(header)
  if (name === '') return `column_${position + 1}`
  // Unquoted identifiers cannot start with a digit.
  if (/^\p{N}/u.test(name)) name = `c_${name}`
  return truncateBytes(name, BASE_BYTES)
}

/**
 * Safe, unique, readable column names for a header row: `Asset#ID@` → `asset_id`, `Cost ($)` → `cost`,
 * duplicates → `name`, `name_2`, empty → `column_<n>`, keywords such as `select` → `select_`. Every result
 * can be typed unquoted in SQL and never equals the hidden `_row` column.
 */
export async function toColumnNames(headers: readonly string[]): Promise<string[]> {
  const bases = headers.map((h, i) => baseName(h, i))
  const reserved = await reservedNames(bases)
  const taken = new Set<string>([ROW_COLUMN])
  return bases.map((base) => {
    const safe = reserved.has(base) ? `${base}_` : base
    return claimUnique(safe, taken)
  })
}

/** `name`, then `name_2`, `name_3`, … — the first one not yet in `taken`, which it joins. */
export function claimUnique(name: string, taken: Set<string>): string {
  let candidate = name
  for (let n = 2; taken.has(candidate); n++) candidate = `${name}_${n}`
  taken.add(candidate)
  return candidate
}
