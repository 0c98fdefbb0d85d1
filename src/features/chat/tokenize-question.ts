import { normalizeText, stemWord } from './normalize-text.ts'

export type TokenKind = 'word' | 'number' | 'code' | 'date'

export interface Token {
  index: number
  /** As typed (codes keep their case and separators). */
  raw: string
  /** Lower case, accents removed; codes keep separators. */
  norm: string
  stem: string
  kind: TokenKind
  /** Numbers: the value (`$1,234.50` → 1234.5, `2k` → 2000); ISO dates: the date text. */
  number?: number
  currency?: boolean
  /** Starts with a capital letter mid-sentence: a likely proper name. */
  capitalized: boolean
}

// Decades ("1950s") are one token, not a year and a stray "s".
const TOKEN = /\d{3}0s\b|\$\s?\d[\d,]*(?:\.\d+)?k?|\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2}\/\d{4}|\d[\d,]*(?:\.\d+)?(?:k\b)?|[\p{L}\p{N}]+(?:[-_./#][\p{L}\p{N}]+)*|[<>]=?|=/gu

const parseNumber = (text: string) => {
  const clean = text.replace(/[$,\s]/g, '')
  const thousands = clean.endsWith('k')
  const value = Number(thousands ? clean.slice(0, -1) : clean)
  return thousands ? value * 1000 : value
}

const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/

/** ISO text of a typed date: `2021-03-15` as is, US `03/15/2021` reordered. */
const isoDate = (raw: string) => {
  const us = US_DATE.exec(raw)
  return us ? `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}` : raw
}

const classify = (raw: string): Pick<Token, 'kind' | 'number' | 'currency'> => {
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw) || US_DATE.test(raw)) return { kind: 'date' }
  if (/^\$?\s?\d[\d,]*(\.\d+)?k?$/.test(raw)) {
    return { kind: 'number', number: parseNumber(raw), currency: raw.startsWith('$') }
  }
  if (/\d/.test(raw) && /[\p{L}]/u.test(raw)) return { kind: 'code' }
  if (/^\d+(?:[-_./#]\d+)+$/.test(raw)) return { kind: 'code' }
  return { kind: 'word' }
}

/** Splits a question into words, numbers (with `$`, thousands separators, `k`), ISO dates and codes (`IT-7781`). */
export const tokenizeQuestion = (question: string): Token[] => {
  const text = question.replace(/[’`]/g, "'").replace(/'s\b/g, '').replace(/n't\b/g, ' not')
  const tokens: Token[] = []
  // Hyphenated words without digits are separate words ("non-Apple"); codes stay whole ("IT-7781").
  const pieces = [...text.matchAll(TOKEN)].flatMap((m) => (/\d/.test(m[0]) ? [m[0]] : m[0].split(/[-_./#]/).filter(Boolean)))
  for (const raw of pieces) {
    const info = classify(raw)
    const norm = info.kind === 'word' ? normalizeText(raw) : info.kind === 'date' ? isoDate(raw) : raw.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    if (norm === '') continue
    tokens.push({ index: tokens.length, raw, norm, stem: info.kind === 'word' ? stemWord(norm) : norm, ...info,
      capitalized: tokens.length > 0 && /^\p{Lu}/u.test(raw) })
  }
  return tokens
}
