import { normalizeText } from './normalize-text.ts'

/**
 * Words of a column header in any naming style: `Asset_TAG`, `assetTag`, `Asset#ID@`, `Company/Brand`,
 * `USER_FULL_NAME` all become lower-case words. Also reports symbols that carry meaning (`#`, `$`, `%`).
 */
export const splitHeaderWords = (header: string): { words: string[]; symbols: string[] } => {
  const symbols = [...new Set(header.match(/[#$%€£]/g) ?? [])]
  const spaced = header
    // camelCase and PascalCase boundaries: "assetTag" → "asset Tag", "HTTPServer" → "HTTP Server"
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    // letters glued to digits: "model2" → "model 2"
    .replace(/([a-zA-Z])(\d)/g, '$1 $2')
  const normalized = normalizeText(spaced)
  return { words: normalized === '' ? [] : normalized.split(' '), symbols }
}
