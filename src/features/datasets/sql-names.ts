import { scan } from 'libpg-query'

/** PostgreSQL's identifier limit (NAMEDATALEN - 1), in bytes. */
export const MAX_IDENTIFIER_BYTES = 63

/** Keyword kinds from the PostgreSQL scanner that cannot stand bare as a column or table name everywhere. */
const RESERVED_KINDS = new Set(['RESERVED_KEYWORD', 'TYPE_FUNC_NAME_KEYWORD'])

/**
 * Readable snake_case from any text: accents transliterated (NFKD, marks dropped), every run of other
 * characters becomes one `_`. Non-Latin letters are kept (PostgreSQL accepts them in unquoted names), so a
 * header in Greek or Japanese stays readable instead of collapsing into `column_3`.
 */
export function snakeCase(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1_$2')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '')
}

/** Cuts `text` to at most `bytes` UTF-8 bytes without splitting a character. */
export function truncateBytes(text: string, bytes: number): string {
  if (Buffer.byteLength(text) <= bytes) return text
  let out = ''
  let size = 0
  for (const char of text) {
    size += Buffer.byteLength(char)
    if (size > bytes) break
    out += char
  }
  return out.replace(/_+$/, '')
}

/**
 * Which of `names` (already snake_case) are keywords a user could not type unquoted as a name. Asks the
 * real PostgreSQL scanner (libpg-query) so the list always matches the server grammar version.
 */
export async function reservedNames(names: readonly string[]): Promise<Set<string>> {
  const words = [...new Set(names.filter((n) => /^[a-z_]+$/.test(n)))]
  if (words.length === 0) return new Set()
  const { tokens } = await scan(words.join(' '))
  return new Set(tokens.filter((t) => RESERVED_KINDS.has(t.keywordName)).map((t) => t.text))
}
