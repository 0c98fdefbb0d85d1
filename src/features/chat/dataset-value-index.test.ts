import { describe, expect, it } from 'vitest'
import { buildDatasetValueIndex, lookupValues, matchValueShape } from './dataset-value-index.ts'
import { normalizeText } from './normalize-text.ts'

const index = buildDatasetValueIndex({
  datasetId: 'd', version: 1,
  columns: [
    { column: 'employee', values: [{ value: 'Ana Reyes', count: 4 }, { value: 'Alberto Reyes', count: 2 },
      { value: 'José Álvarez', count: 3 }, { value: 'Bruno Schmidt', count: 5 }] },
    { column: 'model', values: [{ value: 'ZenBook 14', count: 9 }, { value: 'ZenBook Pro 15', count: 4 },
      { value: 'VivoBook 15', count: 6 }, { value: 'Latitude 5420', count: 7 }] },
    { column: 'category', values: [{ value: 'laptop', count: 20 }, { value: 'phone', count: 9 }] },
    { column: 'status', values: [{ value: 'in stock', count: 3 }, { value: 'active', count: 30 }] },
  ],
  shapes: [{ column: 'asset_tag', samples: ['IT-0001', 'IT-0042', 'IT-1234'] }],
})

const find = (phrase: string) => lookupValues(index, normalizeText(phrase).split(' '))

describe('value index', () => {
  it('matches whole values ignoring case, accents and punctuation', () => {
    expect(find('ana reyes')[0]).toMatchObject({ column: 'employee', kind: 'exact', values: [{ value: 'Ana Reyes' }] })
    expect(find('jose alvarez')[0]?.values[0]?.value).toBe('José Álvarez')
    expect(find('In-Stock')[0]?.values[0]?.value).toBe('in stock')
  })

  it('meets plurals with singular values', () => {
    expect(find('laptops')[0]).toMatchObject({ column: 'category', kind: 'exact' })
  })

  it('finds values from a partial name', () => {
    const [match] = find('reyes')
    expect(match?.kind).toBe('words')
    expect(match?.values.map((v) => v.value).sort()).toEqual(['Alberto Reyes', 'Ana Reyes'])
    expect(find('zenbook')[0]?.values.map((v) => v.value).sort()).toEqual(['ZenBook 14', 'ZenBook Pro 15'])
    expect(find('zenbook pro')[0]?.values.map((v) => v.value)).toEqual(['ZenBook Pro 15'])
  })

  it('tolerates typos: deletions, insertions, substitutions and transpositions', () => {
    for (const typo of ['zenbok', 'zennbook', 'zenbuok', 'zebnook']) {
      const [match] = find(typo)
      expect(match?.kind, typo).toBe('fuzzy')
      expect(match?.values.map((v) => v.value).sort(), typo).toEqual(['ZenBook 14', 'ZenBook Pro 15'])
    }
    expect(find('schmitd')[0]?.values[0]?.value).toBe('Bruno Schmidt')
    expect(find('latitud 5420')[0]?.values[0]?.value).toBe('Latitude 5420')
  })

  it('does not stretch short words into typos', () => {
    expect(find('pho')).toEqual([])
    expect(find('xyzzy')).toEqual([])
  })

  it('recognizes codes by the shape of a high-cardinality column, in its letter case', () => {
    expect(matchValueShape(index, 'it-7781')).toEqual([{ column: 'asset_tag', value: 'IT-7781', score: 0.9 }])
    expect(matchValueShape(index, 'XY-12')[0]).toMatchObject({ column: 'asset_tag', score: 0.5 })
    expect(matchValueShape(index, '7781')).toEqual([])
  })
})
