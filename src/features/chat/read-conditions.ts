import {
  COMPARATORS, DATE_AFTER, DATE_BEFORE, DATE_IN, DATE_SINCE, MONTHS, type CompareOp,
} from './question-lexicon.ts'
import type { Token } from './tokenize-question.ts'

export interface DateCondition {
  start: number
  end: number
  phrase: string
  /** ISO bounds: `from` inclusive, `to` exclusive; either may be open. */
  from: string | null
  to: string | null
  /** The year alone, when the phrase named one whole year (for integer year columns). */
  year: number | null
}

export interface NumberCondition {
  start: number
  end: number
  phrase: string
  op: CompareOp
  value: number
  /** Upper bound of "between a and b". */
  upper: number | null
  /** `$` or a money comparison ("cheaper than"). */
  money: boolean
  /** "older than": compares an age column. */
  age: boolean
  /** "taller than": a dimension whose column the parser finds by header words. */
  hint: string | null
}

export interface LimitCue {
  start: number
  end: number
  phrase: string
  count: number
  dir: 'asc' | 'desc' | null
}

const isYear = (t: Token | undefined) =>
  t?.kind === 'number' && !t.currency && Number.isInteger(t.number) && t.number! >= 1000 && t.number! <= 2999 && /^\d{4}$/.test(t.raw)

/** "the 1950s": a decade. */
const DECADE = /^(1[5-9]\d0|20\d0)s$/

const iso = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}-01`
const nextMonth = (year: number, month: number) => (month === 12 ? iso(year + 1, 1) : iso(year, month + 1))

/** "June 2022" / "2022" / "2022-06-01" at `i`: the period it names. */
const readPeriod = (tokens: readonly Token[], i: number) => {
  const t = tokens[i]
  if (!t) return null
  if (t.kind === 'date') {
    const next = new Date(`${t.norm}T00:00:00Z`)
    if (Number.isNaN(next.getTime())) return null
    next.setUTCDate(next.getUTCDate() + 1)
    return { from: t.norm, to: next.toISOString().slice(0, 10), end: i + 1, year: null }
  }
  const month = MONTHS[t.norm]
  if (month && isYear(tokens[i + 1])) {
    const year = tokens[i + 1]!.number!
    return { from: iso(year, month), to: nextMonth(year, month), end: i + 2, year: null }
  }
  if (isYear(t)) return { from: iso(t.number!, 1), to: iso(t.number! + 1, 1), end: i + 1, year: t.number! }
  const decade = DECADE.exec(t.raw)
  if (decade) return { from: iso(Number(decade[1]), 1), to: iso(Number(decade[1]) + 10, 1), end: i + 1, year: null }
  return null
}


const phraseOf = (tokens: readonly Token[], start: number, end: number) => tokens.slice(start, end).map((t) => t.raw).join(' ')

/** Date phrases: "in 2021", "before 2020", "since June 2022", "from 2019 to 2021", "between 2019 and 2021". */
export const readDates = (tokens: readonly Token[]): DateCondition[] => {
  const found: DateCondition[] = []
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i]!.norm
    const ranged = (word === 'between' || word === 'from') && readPeriod(tokens, i + 1)
    if (ranged && ['and', 'to', 'through', 'until'].includes(tokens[ranged.end]?.norm ?? '')) {
      const last = readPeriod(tokens, ranged.end + 1)
      if (last) {
        found.push({ start: i, end: last.end, phrase: phraseOf(tokens, i, last.end), from: ranged.from, to: last.to,
          year: null })
        i = last.end - 1
        continue
      }
    }
    // "in the 1950s": an article may stand between the preposition and the period.
    const offset = (word === 'prior' && tokens[i + 1]?.norm === 'to') || (tokens[i + 1]?.norm === 'the' && DECADE.test(tokens[i + 2]?.raw ?? '')) ? 2 : 1
    const period = readPeriod(tokens, i + offset)
    const prep = DATE_BEFORE.has(word) || DATE_AFTER.has(word) || DATE_SINCE.has(word) || DATE_IN.has(word) || word === 'from'
    if (prep && period) {
      const before = DATE_BEFORE.has(word)
      const until = word === 'until' || word === 'till'
      const from = before ? null : DATE_AFTER.has(word) ? period.to : period.from
      const to = before ? (until ? period.to : period.from) : DATE_IN.has(word) ? period.to : null
      found.push({ start: i, end: period.end, phrase: phraseOf(tokens, i, period.end), from, to,
        year: DATE_IN.has(word) ? period.year : null })
      i = period.end - 1
    } else if (!prep && period && tokens[i]!.kind !== 'number' && MONTHS[word]) {
      found.push({ start: i, end: period.end, phrase: phraseOf(tokens, i, period.end), from: period.from, to: period.to, year: null })
      i = period.end - 1
    }
  }
  return found
}

const SCALE_WORDS: Readonly<Record<string, number>> = { thousand: 1e3, million: 1e6, millions: 1e6, billion: 1e9, billions: 1e9, bn: 1e9, m: 1e6 }

const matchWords = (tokens: readonly Token[], i: number, words: readonly string[]) =>
  words.every((w, k) => tokens[i + k]?.norm === w || tokens[i + k]?.raw === w)

/** Numeric comparisons: "more than 40", "under $500", "at least 3", "between 500 and 1,000". */
export const readNumberConditions = (tokens: readonly Token[], taken: ReadonlySet<number>): NumberCondition[] => {
  const found: NumberCondition[] = []
  for (let i = 0; i < tokens.length; i++) {
    if (taken.has(i)) continue
    if (tokens[i]!.norm === 'between' && tokens[i + 1]?.kind === 'number' && tokens[i + 2]?.norm === 'and'
      && tokens[i + 3]?.kind === 'number') {
      const [low, high] = [tokens[i + 1]!, tokens[i + 3]!]
      found.push({ start: i, end: i + 4, phrase: phraseOf(tokens, i, i + 4), op: 'gte', value: low.number!,
        upper: high.number!, money: Boolean(low.currency || high.currency), age: false, hint: null })
      i += 3
      continue
    }
    const comparator = COMPARATORS.find((c) => matchWords(tokens, i, c.words))
    const number = comparator && tokens[i + comparator.words.length]
    if (!comparator || number?.kind !== 'number' || taken.has(number.index)) continue
    // "over 15 million": a scale word after the number multiplies it; "m" only after money ("$15m", not "8500 m").
    const scaleWord = tokens[number.index + 1]?.norm ?? ''
    const scale = scaleWord === 'm' && !number.currency ? 1 : SCALE_WORDS[scaleWord] ?? 1
    const end = number.index + (scale === 1 ? 1 : 2)
    found.push({ start: i, end, phrase: phraseOf(tokens, i, end), op: comparator.op, value: number.number! * scale, upper: null,
      money: comparator.role === 'money' || Boolean(number.currency), age: comparator.role === 'age',
      hint: comparator.role && !['money', 'age'].includes(comparator.role) ? comparator.role : null })
    i = end - 1
  }
  return found
}

const LIMIT_WORDS: Readonly<Record<string, 'asc' | 'desc' | null>> = { top: 'desc', first: null, bottom: 'asc', last: null }

/** "top 5", "bottom 3", "first 10", and a count before a superlative ("5 most expensive", "3 cheapest"). */
export const readLimits = (tokens: readonly Token[], superlatives: ReadonlySet<string>, taken: ReadonlySet<number>): LimitCue[] => {
  const found: LimitCue[] = []
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!
    const next = tokens[i + 1]
    const small = (x: Token | undefined) => x?.kind === 'number' && Number.isInteger(x.number) && x.number! > 0
      && x.number! <= 1000 && !x.currency && !taken.has(x.index)
    if (t.norm in LIMIT_WORDS && small(next)) {
      found.push({ start: i, end: i + 2, phrase: `${t.raw} ${next!.raw}`, count: next!.number!, dir: LIMIT_WORDS[t.norm]! })
      i++
    } else if (small(t) && next && superlatives.has(next.norm) && !taken.has(i)) {
      found.push({ start: i, end: i + 1, phrase: t.raw, count: t.number!, dir: null })
    }
  }
  return found
}
