import { createAcceptedMemo } from './accepted-memo.ts'

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

export function isValidDate(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!
  return day <= days
}

type Form = 'iso' | 'numeric' | 'day-month-name' | 'month-name-day'

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/
const NUMERIC = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/
const DAY_MONTH_NAME = /^(\d{1,2})([ -])([A-Za-z]{3})\2(\d{4})$/
const MONTH_NAME_DAY = /^([A-Za-z]{3}) (\d{1,2}), (\d{4})$/

const digit = (cell: string, i: number) => cell.charCodeAt(i) - 48
const twoDigits = (cell: string, i: number) => digit(cell, i) * 10 + digit(cell, i + 1)

/** `2021-03-15` without a regular expression: the most common date cell. Returns [y, m, d] or null. */
function isoParts(cell: string): [number, number, number] | null {
  if (cell.length !== 10 || cell.charCodeAt(4) !== 45 || cell.charCodeAt(7) !== 45) return null
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9]) if (digit(cell, i) < 0 || digit(cell, i) > 9) return null
  return [twoDigits(cell, 0) * 100 + twoDigits(cell, 2), twoDigits(cell, 5), twoDigits(cell, 8)]
}

function formOf(cell: string): Form | null {
  const c = cell.charCodeAt(0)
  if (c >= 48 && c <= 57) {
    if (ISO.test(cell)) return 'iso'
    if (NUMERIC.test(cell)) return 'numeric'
    if (DAY_MONTH_NAME.test(cell)) return 'day-month-name'
    return null
  }
  return MONTH_NAME_DAY.test(cell) ? 'month-name-day' : null
}

/**
 * Dates in one form per column: ISO `2021-03-15`, `03/15/2021` or `15/03/2021` (any of `/ . -`), `15 Mar 2021`,
 * `Mar 15, 2021`. Month-first versus day-first is decided by the data: one `13/01/2021` proves day-first; a
 * column where every cell reads both ways falls back to month-first and is reported as ambiguous.
 */
export function createDateReader() {
  let form: Form | null = null
  let separator = '/'
  let monthFirst = true
  let dayFirst = true
  let ambiguous = 0

  function acceptNumeric(cell: string): boolean {
    const [, a, sep, b, y] = NUMERIC.exec(cell)!
    if (form === 'numeric' && sep !== separator) return false
    const year = Number(y)
    const mdy = monthFirst && isValidDate(year, Number(a), Number(b))
    const dmy = dayFirst && isValidDate(year, Number(b), Number(a))
    if (!mdy && !dmy) return false
    monthFirst = mdy
    dayFirst = dmy
    separator = sep!
    if (mdy && dmy && a !== b) ambiguous++
    return true
  }

  const memo = createAcceptedMemo()

  function accept(cell: string): boolean {
    const known = memo.get(cell)
    if (known !== undefined) {
      ambiguous += known
      return true
    }
    const before = ambiguous
    if (!acceptNew(cell)) return false
    memo.remember(cell, ambiguous - before)
    return true
  }

  function acceptNew(cell: string): boolean {
    const iso = form === 'iso' || form === null ? isoParts(cell) : null
    if (iso) {
      if (!isValidDate(iso[0], iso[1], iso[2])) return false
      form = 'iso'
      return true
    }
    const f = formOf(cell)
    if (f === null || (form !== null && f !== form)) return false
    if (f === 'numeric') {
      if (!acceptNumeric(cell)) return false
    } else if (!validNamed(f, cell)) return false
    form = f
    return true
  }

  function result(): { format: string; ambiguous: number } | null {
    if (form === null) return null
    if (form === 'iso') return { format: 'YYYY-MM-DD', ambiguous: 0 }
    if (form === 'day-month-name') return { format: 'DD Mon YYYY', ambiguous: 0 }
    if (form === 'month-name-day') return { format: 'Mon DD, YYYY', ambiguous: 0 }
    const s = separator
    return monthFirst ? { format: `MM${s}DD${s}YYYY`, ambiguous: dayFirst ? ambiguous : 0 } : { format: `DD${s}MM${s}YYYY`, ambiguous: 0 }
  }

  return { accept, result }
}

function validNamed(form: Form, cell: string): boolean {
  let year: number, month: number, day: number
  if (form === 'iso') {
    const m = ISO.exec(cell)!
    ;[year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  } else if (form === 'day-month-name') {
    const m = DAY_MONTH_NAME.exec(cell)!
    ;[year, month, day] = [Number(m[4]), MONTHS.indexOf(m[3]!.toLowerCase()) + 1, Number(m[1])]
  } else {
    const m = MONTH_NAME_DAY.exec(cell)!
    ;[year, month, day] = [Number(m[3]), MONTHS.indexOf(m[1]!.toLowerCase()) + 1, Number(m[2])]
  }
  return isValidDate(year, month, day)
}
