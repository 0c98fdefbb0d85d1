import { describe, expect, it } from 'vitest'
import { toColumnNames } from './column-names.ts'

describe('toColumnNames', () => {
  it('turns dirty headers into readable snake_case', async () => {
    expect(await toColumnNames(['Asset#ID@', 'Cost ($)', 'Purchased (MM/DD/YYYY)', 'Dept.', 'AssetTag', 'USER_FULL_NAME'])).toEqual([
      'asset_id', 'cost', 'purchased_mm_dd_yyyy', 'dept', 'asset_tag', 'user_full_name',
    ])
  })

  it('transliterates accents and keeps other scripts readable', async () => {
    expect(await toColumnNames(['Café Größe', 'Ñandú', 'Ημερομηνία', '価格'])).toEqual(['cafe_große', 'nandu', 'ημερομηνια', '価格'])
  })

  it('de-duplicates, names empty headers and avoids the hidden _row column', async () => {
    expect(await toColumnNames(['name', 'Name', 'NAME ', '', '  ', '_row', 'row'])).toEqual([
      'name', 'name_2', 'name_3', 'column_4', 'column_5', 'row', 'row_2',
    ])
  })

  it('makes SQL keywords, quotes, semicolons and leading digits safe to type unquoted', async () => {
    expect(await toColumnNames(['select', 'Order', 'user', 'from', 'timestamp', '2024 total', '"; DROP TABLE x; --'])).toEqual([
      'select_', 'order_', 'user_', 'from_', 'timestamp', 'c_2024_total', 'drop_table_x',
    ])
  })

  it('keeps names within 63 bytes even with multi-byte characters and suffixes', async () => {
    const long = 'é'.repeat(100)
    const names = await toColumnNames([`${'x'.repeat(80)}`, `${'x'.repeat(80)}`, long, 'ü'.repeat(70)])
    for (const name of names) expect(Buffer.byteLength(name)).toBeLessThanOrEqual(63)
    expect(new Set(names).size).toBe(4)
    expect(names[1]).toMatch(/_2$/)
  })
})
