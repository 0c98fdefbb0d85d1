import { createAcceptedMemo } from './accepted-memo.ts'
import type { ColumnType } from './dataset-types.ts'

type Convention = 'us' | 'eu'
interface Reading { intDigits: string; fraction: boolean }

/** Cell shape: optional sign, optional currency symbol, digits with separators, optional symbol, optional %. */
const CELL = /^([-+]?)([$€£¥]?)\s?([-+]?)(\d[\d.,]*|[.,]\d+)\s?([$€£¥]?)\s?(%?)$/
const SCIENTIFIC = /^[-+]?\d+(\.\d+)?[eE][-+]?\d+$/

/**
 * The readings of a digit body under US (`1,234.5`) and European (`1.234,5`) conventions; absent = invalid.
 * Only the conventions still alive are read: a dead one's reading could change nothing.
 */
function readings(body: string, alive: Record<Convention, { alive: boolean }>): Partial<Record<Convention, Reading>> {
  if (/^\d+$/.test(body)) return { us: { intDigits: body, fraction: false }, eu: { intDigits: body, fraction: false } }
  const out: Partial<Record<Convention, Reading>> = {}
  const us = alive.us.alive ? /^(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d+))?$/.exec(body) : null
  if (us && (us[1] !== '' || us[2] !== undefined)) out.us = { intDigits: us[1]!.replaceAll(',', '') || '0', fraction: us[2] !== undefined }
  const eu = alive.eu.alive ? /^(\d{1,3}(?:\.\d{3})+|\d*)(?:,(\d+))?$/.exec(body) : null
  if (eu && (eu[1] !== '' || eu[2] !== undefined)) out.eu = { intDigits: eu[1]!.replaceAll('.', '') || '0', fraction: eu[2] !== undefined }
  return out
}

/** 0 integer, 1 bigint, 2 numeric: compared as digit strings, so values beyond 2^53 are classified exactly. */
export function integerClass(negative: boolean, digits: string): 0 | 1 | 2 {
  if (digits.length < 10) return 0
  if (digits.length === 10) return digits <= (negative ? '2147483648' : '2147483647') ? 0 : 1
  if (digits.length < 19) return 1
  if (digits.length === 19) return digits <= (negative ? '9223372036854775808' : '9223372036854775807') ? 1 : 2
  return 2
}

/** Leading zeros mark a code (`00123`, ZIP `02139`), not a number; `0` and `0.5` are fine. */
const valid = (r: Reading | undefined): r is Reading => r !== undefined && !(r.intDigits.length > 1 && r.intDigits[0] === '0')

interface ConventionState { alive: boolean; fraction: boolean; intClass: 0 | 1 | 2; grouped: boolean }

/** Records what one accepted cell says under a convention, or ends the convention when it did not fit. */
function narrow(s: ConventionState, reading: Reading | null, grouped: boolean, negative: boolean): void {
  if (!reading) { s.alive = false; return }
  s.fraction ||= reading.fraction
  s.grouped ||= grouped
  s.intClass = Math.max(s.intClass, integerClass(negative, reading.intDigits)) as 0 | 1 | 2
}

/**
 * Reads numbers in one consistent convention per column. Codes with leading zeros (`00123`) are not numbers:
 * converting them would lose the zeros. Percent and currency are stripped (`12%` → 12, `$1,234.50` → 1234.50)
 * and recorded in the format; a column mixing `%` with bare numbers, or two currency symbols, is not numeric.
 */
export function createNumberReader() {
  const state: Record<Convention, ConventionState> = {
    us: { alive: true, fraction: false, intClass: 0, grouped: false },
    eu: { alive: true, fraction: false, intClass: 0, grouped: false },
  }
  let percent: boolean | null = null
  let currency = ''
  let symbolAfter = false
  let ambiguous = 0
  const conventions = [state.us, state.eu]

  /** `123`, `-45`: the common case, read without regular expressions or allocation; null if not that shape. */
  function acceptPlainInteger(cell: string): boolean | null {
    const start = cell.charCodeAt(0) === 45 ? 1 : 0
    const len = cell.length
    if (len === start) return null
    for (let i = start; i < len; i++) {
      const c = cell.charCodeAt(i)
      if (c < 48 || c > 57) return null
    }
    if ((len - start > 1 && cell.charCodeAt(start) === 48) || percent === true) return false
    const intClass = len - start < 10 ? 0 : integerClass(start === 1, cell.slice(start))
    if (intClass > state.us.intClass) state.us.intClass = intClass
    if (intClass > state.eu.intClass) state.eu.intClass = intClass
    percent = false
    return true
  }

  /**
   * `$1,234.50`, `-12%`, `4.5`: a sign, a currency symbol before the digits, a digit body, a percent sign, no
   * spaces. Read by hand with the same effects as `acceptFormatted`, for the bodies whose reading is settled:
   * plain digits, or US punctuation once the European reading is ruled out. Null hands the cell to
   * `acceptFormatted` (other shapes, leading zeros, a body both conventions might read).
   */
  function acceptSimple(cell: string): boolean | null {
    const len = cell.length
    let i = 0
    let c = cell.charCodeAt(0)
    const negative = c === 45
    if (c === 45 || c === 43) c = cell.charCodeAt(++i)
    let symbol = ''
    if (c === 36 || c === 0x20ac || c === 0xa3 || c === 0xa5) {
      symbol = cell[i]!
      c = cell.charCodeAt(++i)
    }
    const end = cell.charCodeAt(len - 1) === 37 ? len - 1 : len
    if (i >= end || c < 48 || c > 57) return null
    const start = i
    let digits = 0
    let commas = 0
    let group = 0
    for (; i < end; i++) {
      c = cell.charCodeAt(i)
      if (c >= 48 && c <= 57) {
        digits++
        group++
      } else if (c === 44 && (commas === 0 ? group <= 3 : group === 3)) {
        commas++
        group = 0
      } else break
    }
    const intEnd = i
    if ((commas > 0 && group !== 3) || (digits > 1 && cell.charCodeAt(start) === 48)) return null
    let fraction = false
    if (i < end) {
      if (c !== 46 || i + 1 === end) return null
      for (i++; i < end; i++) {
        c = cell.charCodeAt(i)
        if (c < 48 || c > 57) return null
      }
      fraction = true
    }
    const plainBody = commas === 0 && !fraction
    if ((!plainBody && state.eu.alive) || (!state.us.alive && !state.eu.alive)) return null
    if (symbol && currency && symbol !== currency) return false
    const isPercent = end < len
    if (percent !== null && percent !== isPercent) return false
    const intClass = digits < 10 ? 0 : integerClass(negative, cell.slice(start, intEnd).replaceAll(',', ''))
    for (const s of conventions) {
      if (!s.alive) continue
      s.fraction ||= fraction
      s.grouped ||= commas > 0 && s === state.us
      if (intClass > s.intClass) s.intClass = intClass
    }
    percent = isPercent
    if (symbol) { currency = symbol; symbolAfter = false }
    return true
  }

  const memo = createAcceptedMemo()

  function accept(cell: string): boolean {
    const plain = acceptPlainInteger(cell)
    if (plain !== null) return plain
    const simple = acceptSimple(cell)
    if (simple !== null) return simple
    const known = memo.get(cell)
    if (known !== undefined) {
      ambiguous += known
      return true
    }
    const before = ambiguous
    if (!acceptFormatted(cell)) return false
    memo.remember(cell, ambiguous - before)
    return true
  }

  function acceptFormatted(cell: string): boolean {
    if (SCIENTIFIC.test(cell)) {
      // Exponent notation is only ever written with a decimal point, and never as a percent.
      if (!state.us.alive || percent === true) return false
      state.eu.alive = false
      state.us.fraction = true
      percent = false
      return true
    }
    const m = CELL.exec(cell)
    if (!m) return false
    const [, sign1, pre, sign2, body, post, pct] = m as unknown as string[]
    if ((sign1 && sign2) || (pre && post)) return false
    const symbol = pre || post!
    if (symbol && currency && symbol !== currency) return false
    const isPercent = pct === '%'
    if (percent !== null && percent !== isPercent) return false
    const negative = (sign1 || sign2) === '-'
    const options = readings(body!, state)
    const fitsUs = state.us.alive && valid(options.us)
    const fitsEu = state.eu.alive && valid(options.eu)
    // A miss leaves the state untouched: the column is then not numeric, whatever came before.
    if (!fitsUs && !fitsEu) return false
    narrow(state.us, fitsUs ? options.us! : null, body!.includes(','), negative)
    narrow(state.eu, fitsEu ? options.eu! : null, body!.includes('.'), negative)
    if (fitsUs && fitsEu && /[.,]/.test(body!)) ambiguous++
    percent = isPercent
    if (symbol) { currency = symbol; symbolAfter = post !== '' }
    return true
  }

  function result(): { type: ColumnType; format: string | null; ambiguous: number } | null {
    const convention: Convention | null = state.us.alive ? 'us' : state.eu.alive ? 'eu' : null
    if (!convention) return null
    const s = state[convention]
    const type: ColumnType = s.fraction || percent ? 'numeric' : (['integer', 'bigint', 'numeric'] as const)[s.intClass]
    const plain = convention === 'us' && !s.grouped && !currency && !percent
    if (plain) return { type, format: null, ambiguous: 0 }
    const digits = convention === 'us' ? '1,234.56' : '1.234,56'
    const format = `${symbolAfter ? '' : currency}${digits}${symbolAfter ? ` ${currency}` : ''}${percent ? '%' : ''}`
    return { type, format, ambiguous: state.us.alive && state.eu.alive ? ambiguous : 0 }
  }

  return { accept, result }
}
