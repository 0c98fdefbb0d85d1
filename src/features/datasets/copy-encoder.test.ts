import { describe, expect, it } from 'vitest'
import { copyEncoder } from './copy-encoder.ts'
import type { ColumnInference, ColumnType } from './dataset-types.ts'

const encoder = (type: ColumnType, format: string | null) =>
  copyEncoder({ type, format, confidence: 1, examplesRejected: [] } satisfies ColumnInference)

/** What the typed COPY is sent: text PostgreSQL parses into the inferred type as the file meant it. */
describe('copyEncoder', () => {
  it('keeps an exponent in a formatted number column (the reader accepts `1e3` beside `$1,000`)', () => {
    const usd = encoder('numeric', '$1,234.56')
    expect(['$1,000', '1e3', '-2.5E+1', '-$5.25'].map(usd)).toEqual(['1000', '1e3', '-2.5E+1', '-5.25'])
  })

  it('reads European punctuation as a decimal comma', () => {
    expect(['1.234,50 €', '99,00 €'].map(encoder('numeric', '1.234,56 €'))).toEqual(['1234.50', '99.00'])
  })

  it('reorders all-numeric dates to ISO and leaves month names to PostgreSQL', () => {
    expect(encoder('date', 'DD/MM/YYYY')('13/01/2021')).toBe('2021-01-13')
    expect(encoder('date', 'MM-DD-YYYY')('01-13-2021')).toBe('2021-01-13')
    expect(['15-Mar-2021', ' 1 Dec 2020 '].map(encoder('date', 'DD Mon YYYY'))).toEqual(['15-Mar-2021', '1 Dec 2020'])
  })

  it('writes blank cells of typed columns as NULL and keeps COPY markers in text as data', () => {
    expect(encoder('integer', null)('  ')).toBe('\\N')
    expect(encoder('text', null)('\\N')).toBe('\\\\N')
  })
})
