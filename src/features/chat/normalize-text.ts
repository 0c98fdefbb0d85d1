/** Text normalization shared by the value index and the question parser, so both sides compare alike. */

/** Lower case, accents removed, punctuation turned into spaces, whitespace collapsed. */
export const normalizeText = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()

/** Words of a normalized text. */
export const textWords = (text: string): string[] => {
  const normalized = normalizeText(text)
  return normalized === '' ? [] : normalized.split(' ')
}

/**
 * A light English plural stemmer: enough to meet "laptops" with "laptop" and "companies" with "company"
 * without the false merges of an aggressive stemmer.
 */
export const stemWord = (word: string): string => {
  if (word.length <= 3 || /\d/.test(word)) return word
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`
  // "movie" and "movies" must meet: -ie words take the -ies plural's stem.
  if (word.endsWith('ie') && word.length > 4) return `${word.slice(0, -2)}y`
  if (/(ches|shes|sses|uses|xes|zes)$/.test(word)) return word.slice(0, -2)
  if (word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1)
  return word
}

/**
 * A rougher root for meeting verbs with header nouns: "rated"/"rating" → "rat", "hired"/"hire" → "hir",
 * "earnings"/"earns" → "earn". Only used as a weaker match than the stem.
 */
export const rootWord = (word: string): string => {
  let root = stemWord(word)
  if (root.length > 5 && root.endsWith('ing')) root = root.slice(0, -3)
  else if (root.length > 4 && root.endsWith('ed')) root = root.slice(0, -2)
  if (root.length > 3 && root.endsWith('e')) root = root.slice(0, -1)
  return root
}
