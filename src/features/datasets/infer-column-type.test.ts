import { describe, expect, it } from 'vitest'
import { createColumnInference } from './infer-column-type.ts'

function infer(cells: string[]) {
  const column = createColumnInference()
  for (const cell of cells) column.observe(cell)
  return column.result()
}

const typeOf = (cells: string[]) => infer(cells).inference.type
const formatOf = (cells: string[]) => infer(cells).inference.format

describe('createColumnInference', () => {
  it('reads integers, bigints and numbers beyond bigint exactly', () => {
    expect(typeOf(['1', '-2', '+3', '2147483647'])).toBe('integer')
    expect(typeOf(['1', '-2147483648'])).toBe('integer')
    expect(typeOf(['1', '2147483648'])).toBe('bigint')
    expect(typeOf(['9007199254740993', '9223372036854775807'])).toBe('bigint')
    expect(typeOf(['9223372036854775808'])).toBe('numeric')
    expect(typeOf(['1.5', '2', '1e10'])).toBe('numeric')
    expect(formatOf(['1.5', '2'])).toBeNull()
  })

  it('keeps codes with leading zeros as text', () => {
    const result = infer(['12345', '02139', '90210'])
    expect(result.inference.type).toBe('text')
    expect(result.inference.examplesRejected).toEqual(['02139'])
    expect(typeOf(['0', '0.5', '10'])).toBe('numeric')
  })

  it('reads money and percentages in the convention the column uses', () => {
    expect(infer(['$1,234.50', '$99.00', '-$5.25']).inference).toMatchObject({ type: 'numeric', format: '$1,234.56', confidence: 1 })
    expect(infer(['1.234,50 €', '99,00 €', '3 €']).inference).toMatchObject({ type: 'numeric', format: '1.234,56 €' })
    expect(infer(['12%', '7.5%', '100%']).inference).toMatchObject({ type: 'numeric', format: '1,234.56%' })
    expect(infer(['1,234', '12,345,678']).inference).toMatchObject({ type: 'integer', format: '1,234.56' })
    expect(infer(['$2,147,483,647', '-$2,147,483,648']).inference).toMatchObject({ type: 'integer', format: '$1,234.56' })
    expect(infer(['$1,000', '$2,147,483,648']).inference).toMatchObject({ type: 'bigint', format: '$1,234.56' })
    expect(typeOf(['$1,000.5', '$1,0000'])).toBe('text')
    expect(typeOf(['$1,000', '$01'])).toBe('text')
    expect(typeOf(['12%', '12'])).toBe('text')
    expect(typeOf(['$5', '€5'])).toBe('text')
  })

  it('decides a decimal comma from the data and reports values readable both ways', () => {
    expect(infer(['1,5', '2,25']).inference).toMatchObject({ type: 'numeric', format: '1.234,56' })
    const ambiguous = infer(['1,500', '2,000', '3,250'])
    expect(ambiguous.inference).toMatchObject({ type: 'integer', format: '1,234.56', confidence: 0.5 })
  })

  it('reads booleans but leaves 1/0 to integers', () => {
    expect(infer(['yes', 'No', 'YES']).inference).toMatchObject({ type: 'boolean', format: 'yes/no' })
    expect(typeOf(['Y', 'N', 'true', 'f'])).toBe('boolean')
    expect(typeOf(['1', '0'])).toBe('integer')
  })

  it('decides US versus European dates from the data', () => {
    expect(infer(['03/15/2021', '12/01/2021']).inference).toMatchObject({ type: 'date', format: 'MM/DD/YYYY', confidence: 1 })
    expect(infer(['15/03/2021', '01/12/2021']).inference).toMatchObject({ type: 'date', format: 'DD/MM/YYYY', confidence: 1 })
    expect(infer(['15.03.2021', '1.2.2021']).inference).toMatchObject({ type: 'date', format: 'DD.MM.YYYY' })
    expect(infer(['01/02/2021', '03/04/2021']).inference).toMatchObject({ type: 'date', format: 'MM/DD/YYYY', confidence: 0.5 })
    expect(typeOf(['13/01/2021', '01/13/2021'])).toBe('text')
    expect(typeOf(['02/30/2021'])).toBe('text')
  })

  it('reads ISO and named-month dates, and timestamps with or without zone', () => {
    expect(infer(['2021-03-15', '2024-02-29']).inference).toMatchObject({ type: 'date', format: 'YYYY-MM-DD' })
    expect(typeOf(['2023-02-29'])).toBe('text')
    expect(infer(['15 Mar 2021', '1 dec 2020']).inference).toMatchObject({ type: 'date', format: 'DD Mon YYYY' })
    expect(infer(['Mar 15, 2021']).inference).toMatchObject({ type: 'date', format: 'Mon DD, YYYY' })
    expect(typeOf(['2021-03-15 14:30', '2021-03-15T14:30:00.123'])).toBe('timestamp')
    expect(typeOf(['2021-03-15T14:30:00Z', '2021-03-15 14:30:00+02:00'])).toBe('timestamptz')
    expect(typeOf(['2021-03-15T14:30:00Z', '2021-03-15 14:30:00'])).toBe('text')
    expect(typeOf(['2021-03-15', '2021-03-15 14:30'])).toBe('text')
  })

  it('treats empty and blank cells as NULL and an all-empty column as text without confidence', () => {
    expect(infer(['', ' 5 ', '  ', '7'])).toMatchObject({ nullCount: 2, inference: { type: 'integer' } })
    expect(infer(['', '']).inference).toMatchObject({ type: 'text', confidence: 0 })
  })

  it('reports low confidence for text that is almost another type, with the cells that spoiled it', () => {
    const cells = [...Array.from({ length: 99 }, (_, i) => String(i + 1)), 'N/A']
    const { inference } = infer(cells)
    expect(inference.type).toBe('text')
    expect(inference.confidence).toBeCloseTo(0.01)
    expect(inference.examplesRejected).toEqual(['N/A'])
    expect(infer(['Ana', 'Bruno']).inference.confidence).toBe(1)
  })
})
