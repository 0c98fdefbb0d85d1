import { describe, expect, it } from 'vitest'
import { matchRelations, type VisibleDataset } from './relation-matcher.ts'

const visible: VisibleDataset[] = [
  { id: 'own', tableName: 'assets', schema: 'ds_own', version: 1 },
  { id: 'shared', tableName: 'assets', schema: 'ds_shared', version: 4 },
  { id: 'rates', tableName: 'rates', schema: 'ds_shared', version: 2 },
]
const ref = (name: string, schema: string | null = null) => ({ name, schema, location: 0 })

describe('matchRelations', () => {
  it('follows the search path and de-duplicates', () => {
    const matched = matchRelations([ref('assets'), ref('rates'), ref('assets')], visible, ['ds_own', 'ds_shared'])
    expect(matched.map((d) => d.id)).toEqual(['own', 'rates'])
  })

  it('honours a schema an admin wrote', () => {
    expect(matchRelations([ref('assets', 'ds_shared')], visible, ['ds_own', 'ds_shared']).map((d) => d.id)).toEqual(['shared'])
  })

  it('fails like PostgreSQL for anything not visible', () => {
    expect(() => matchRelations([ref('secret')], visible, ['ds_own', 'ds_shared'])).toThrowError('relation "secret" does not exist')
    expect(() => matchRelations([ref('assets', 'ds_other')], visible, ['ds_own'])).toThrowError('relation "ds_other.assets" does not exist')
  })
})
