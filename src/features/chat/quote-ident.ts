/** A PostgreSQL identifier, always quoted: catalog names only ever reach SQL through here. */
export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`
