import { describe, expect, it } from 'vitest'
import type { ColumnInfo, ColumnRole, ColumnType } from '../datasets/dataset-types.ts'
import { toChatColumn } from './chat-column.ts'
import type { QueryPlan } from './chat-types.ts'
import { wordAnswer } from './word-answer.ts'

const column = (name: string, type: ColumnType, role: ColumnRole): ColumnInfo => ({ datasetId: 'd', position: 0, name,
  originalName: name, type, nullCount: 0, distinctCount: 10, min: null, max: null, topValues: [],
  inference: { type, confidence: 1, examplesRejected: [], format: null }, role, roleConfidence: 0.9 })

const columns = new Map([column('asset_tag', 'text', 'identifier'), column('employee', 'text', 'person_name'),
  column('manufacturer', 'text', 'organization'), column('model', 'text', 'product'), column('category', 'text', 'category'),
  column('location', 'text', 'location'), column('cost', 'numeric', 'money')].map((c) => [c.name, toChatColumn(c, 100)]))

const plan = (overrides: Partial<QueryPlan>): QueryPlan => ({ intent: 'list', select: [], filters: [], groupBy: [], measure: null,
  having: null, orderBy: null, limit: null, ...overrides })
const eq = (column: string, value: string) => [{ column, op: 'eq' as const, values: [value], phrase: value }]

describe('wordAnswer', () => {
  it('counts with the filters as a noun phrase', () => {
    const text = wordAnswer({ plan: plan({ intent: 'count', measure: { fn: 'count', column: null },
      filters: [eq('manufacturer', 'Acer'), eq('category', 'monitor'), eq('location', 'Lisbon')] }),
    columns, result: { columns: [{ name: 'count' }], rows: [[12]] }, notes: [] })
    expect(text).toBe('There are 12 Acer monitors in Lisbon.')
  })

  it('describes one entity from its row', () => {
    const names = ['asset_tag', 'employee', 'manufacturer', 'model', 'category', 'location', 'cost']
    const text = wordAnswer({ plan: plan({ intent: 'lookup', filters: [eq('asset_tag', 'IT-7781')] }), columns,
      result: { columns: names.map((name) => ({ name })), rows: [['IT-7781', 'Ana Reyes', 'Asus', 'ZenBook 14', 'laptop', 'Lisbon', '980.00']] }, notes: [] })
    expect(text).toBe('IT-7781 is an Asus ZenBook 14 held by Ana Reyes.')
  })

  it('names the entity a looked-up attribute belongs to, formatting money', () => {
    const text = wordAnswer({ plan: plan({ intent: 'lookup', select: ['cost'], filters: [eq('asset_tag', 'IT-7781')] }), columns,
      result: { columns: [{ name: 'cost' }], rows: [['1234.5']] }, notes: [] })
    expect(text).toBe('The cost of IT-7781 is $1,234.50.')
  })

  it('words group superlatives with the question’s row noun', () => {
    const text = wordAnswer({ plan: plan({ intent: 'group', groupBy: ['location'], measure: { fn: 'count', column: null },
      orderBy: { by: 'measure', dir: 'asc' }, limit: 1 }), columns, rowNoun: 'device',
    result: { columns: [{ name: 'location' }, { name: 'count' }], rows: [['London', 274]] }, notes: [] })
    expect(text).toBe('London has the fewest devices (274).')
  })

  it('says when nothing matches and appends notes', () => {
    const text = wordAnswer({ plan: plan({ intent: 'count', measure: { fn: 'count', column: null }, filters: [eq('location', 'Narnia')] }),
      columns, rowNoun: 'device', result: { columns: [{ name: 'count' }], rows: [[0]] }, notes: ['“Narnia” was not found among the location values.'] })
    expect(text).toBe('There are 0 devices in Narnia. “Narnia” was not found among the location values.')
  })
})
