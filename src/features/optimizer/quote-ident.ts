/** Double-quotes an identifier for SQL text that is shown to people as well as run (CREATE/DROP INDEX). */
export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`

export const qualified = (schema: string, name: string): string => `${quoteIdent(schema)}.${quoteIdent(name)}`
