import { GIVEN_NAMES, ORGANIZATION_NAMES, PLACE_NAMES, STATUS_WORDS } from './value-lexicon.ts'
import { normalizeText } from './normalize-text.ts'

/** Share (0..1) of sample values that look like each kind of value; the value half of role detection. */
export interface ValueShapeShares {
  code: number
  email: number
  login: number
  personName: number
  givenName: number
  place: number
  organization: number
  status: number
  money: number
  date: number
  longText: number
  product: number
  shortWords: number
}

const CODE = /^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9]+(?:[-_/.#:][A-Za-z0-9]+)*$|^\d{4,}$/
const EMAIL = /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i
const LOGIN = /^[a-z][a-z0-9._-]{2,24}$/
const NAME_WORD = /^[A-Z][a-zA-Z'’-]+\.?$/
const MONEY = /^[-+]?[$€£¥]\s?[\d,.]+$|^[\d,.]+\s?(?:USD|EUR|GBP|€|\$)$/
const DATE = /^\d{4}-\d{2}-\d{2}|^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$/
const PRODUCT = /^(?=.*[A-Za-z])(?=.*\d).*\s.*$|^[A-Z][a-z]+[A-Z]\w*(\s\w+)*$/

const isPersonName = (value: string) => {
  const parts = value.trim().split(/\s+/)
  return parts.length >= 2 && parts.length <= 4 && parts.every((p) => NAME_WORD.test(p))
}

const share = (values: readonly string[], test: (value: string) => boolean) =>
  values.length === 0 ? 0 : values.filter(test).length / values.length

export const valueShapeShares = (values: readonly string[]): ValueShapeShares => ({
  code: share(values, (v) => CODE.test(v) && !DATE.test(v)),
  email: share(values, (v) => EMAIL.test(v)),
  login: share(values, (v) => LOGIN.test(v)),
  personName: share(values, isPersonName),
  givenName: share(values, (v) => isPersonName(v) && GIVEN_NAMES.has(v.split(/\s+/)[0]!.toLowerCase())),
  place: share(values, (v) => PLACE_NAMES.has(normalizeText(v))),
  organization: share(values, (v) => ORGANIZATION_NAMES.has(v.trim().toLowerCase())),
  status: share(values, (v) => STATUS_WORDS.has(normalizeText(v))),
  money: share(values, (v) => MONEY.test(v.trim())),
  date: share(values, (v) => DATE.test(v.trim())),
  longText: share(values, (v) => v.length > 40 && v.includes(' ')),
  product: share(values, (v) => PRODUCT.test(v.trim())),
  shortWords: share(values, (v) => /^[A-Za-z][A-Za-z&' -]{0,30}$/.test(v.trim()) && v.trim().split(/\s+/).length <= 3),
})
