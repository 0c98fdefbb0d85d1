/**
 * A PostgreSQL identifier, always double-quoted, for SQL text that is built as text (shown to people, sent to
 * psql, or composed outside Kysely): catalog names only ever reach such SQL through here.
 */
export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`

export const qualified = (schema: string, name: string): string => `${quoteIdent(schema)}.${quoteIdent(name)}`
