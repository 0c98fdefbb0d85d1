import { describe, expect, it } from 'vitest'
import type { ColumnInfo } from '../datasets/dataset-types.ts'
import { toChatColumns } from './chat-column.ts'
import { expandHeaderWords } from './header-abbreviations.ts'

const column = (originalName: string, type: ColumnInfo['type'] = 'integer'): ColumnInfo => ({
  name: originalName.toLowerCase().replace(/[^a-z0-9]+/g, '_'), originalName, type, position: 0, nullCount: 0, distinctCount: 10,
  min: '1', max: '99', topValues: [], role: null, roleConfidence: 0,
} as unknown as ColumnInfo)

describe('header abbreviations', () => {
  it('spells out standings and fact-table abbreviations', () => {
    expect(expandHeaderWords(['pts'], [], false)).toContain('points')
    expect(expandHeaderWords(['gf'], [], false)).toEqual(['goals', 'scored'])
    expect(expandHeaderWords(['pop'], [], false)).toContain('population')
  })

  it('reads unit letters only as the last word after a name', () => {
    expect(expandHeaderWords(['height', 'm'], [], false)).toContain('metres')
    expect(expandHeaderWords(['battery', 'm', 'ah'], [], false)).not.toContain('metres')
    expect(expandHeaderWords(['m'], [], false)).toEqual([])
    expect(expandHeaderWords(['vote'], ['%'], false)).toContain('percentage')
  })

  it('spells one-letter headers only in a table of one-letter headers', () => {
    expect(expandHeaderWords(['w'], [], true)).toContain('wins')
    expect(expandHeaderWords(['w'], [], false)).toEqual([])
    const standings = toChatColumns(['Team', 'W', 'D', 'L', 'Pts'].map((h) => column(h)), 20)
    expect(standings.find((c) => c.originalName === 'D')!.synonyms.has('draw')).toBe(true)
    expect(standings.find((c) => c.originalName === 'Pts')!.synonyms.has('point')).toBe(true)
    const single = toChatColumns([column('Name', 'text'), column('W')], 20)
    expect(single.find((c) => c.originalName === 'W')!.synonyms.size).toBe(0)
  })

  it('marks a header of weak words only, so "number" can name "No."', () => {
    const [no, player] = toChatColumns([column('No.'), column('Player name', 'text')], 20)
    expect(no!.weakOnly).toBe(true)
    expect(player!.weakOnly).toBe(false)
  })
})
