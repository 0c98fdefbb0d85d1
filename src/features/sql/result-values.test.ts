import { describe, expect, it } from 'vitest'
import { convertRow } from './result-values.ts'

describe('convertRow', () => {
  it('converts small numbers, booleans and JSON, keeps int8/numeric as exact strings', () => {
    const oids = [21, 23, 20, 1700, 16, 16, 3802, 114, 701, 701, 25]
    const row = ['7', '-42', '9223372036854775807', '123456789012345678901234.5678', 't', 'f', '{"a":[1,2]}', '[true]', '0.1', 'NaN', 'x']
    expect(convertRow(row, oids)).toEqual([7, -42, '9223372036854775807', '123456789012345678901234.5678', true, false, { a: [1, 2] }, [true], 0.1, 'NaN', 'x'])
  })

  it('writes timestamps as ISO 8601 with every fractional digit', () => {
    expect(convertRow(['2024-02-01 10:00:00.123456+00', '2024-02-01 10:00:00+05:30', '2024-02-01 10:00:00-03', '2024-02-01 10:00:00', 'infinity'], [1184, 1184, 1184, 1114, 1184]))
      .toEqual(['2024-02-01T10:00:00.123456Z', '2024-02-01T10:00:00+05:30', '2024-02-01T10:00:00-03:00', '2024-02-01T10:00:00', 'infinity'])
  })

  it('keeps nulls and the text form of other types', () => {
    expect(convertRow([null, '2024-01-31', '1 day 02:00:00', '{1,2}'], [23, 1082, 1186, 1007])).toEqual([null, '2024-01-31', '1 day 02:00:00', '{1,2}'])
  })
})
