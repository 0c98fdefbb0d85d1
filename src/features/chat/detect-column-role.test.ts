import { describe, expect, it } from 'vitest'
import type { ColumnRole, ColumnType } from '../datasets/dataset-types.ts'
import { detectColumnRole } from './detect-column-role.ts'
import { splitHeaderWords } from './split-header-words.ts'

const tags = Array.from({ length: 20 }, (_, i) => `IT-${String(i * 37 + 1).padStart(4, '0')}`)
const people = ['Ana Reyes', 'Bruno Schmidt', 'Carla Silva', 'Diego Novak', 'Elena Okafor', 'Farah Tanaka']
const logins = ['areyes', 'bschmidt', 'csilva', 'dnovak', 'eokafor', 'ftanaka']
const brands = ['Dell', 'HP', 'Lenovo', 'Apple', 'Acer', 'Asus', 'Samsung', 'Microsoft']
const cities = ['Berlin', 'Lisbon', 'London', 'Madrid', 'Paris']
const categories = ['laptop', 'desktop', 'monitor', 'phone', 'tablet', 'printer']
const models = ['Latitude 5420', 'XPS 13', 'ZenBook 14', 'ThinkPad T14', 'iPhone 14', 'Galaxy S23']
const statuses = ['active', 'in repair', 'retired', 'in stock']
const teams = ['Engineering', 'Finance', 'Sales', 'Marketing', 'Operations', 'Support']
const money = ['$1,234.50', '$899.00', '$2,300.10', '$120.00']

type Case = [header: string, type: ColumnType, values: string[], distinct: number, expected: ColumnRole]
const cases: Case[] = [
  ['Asset Tag', 'text', tags, 3000, 'identifier'],
  ['Asset_TAG', 'text', tags, 3000, 'identifier'],
  ['ID_NUMBER', 'text', tags, 3000, 'identifier'],
  ['tag_code', 'text', tags, 3000, 'identifier'],
  ['Asset#ID@', 'text', tags, 3000, 'identifier'],
  ['Serial', 'text', ['5CD1234XYZ', '7HJ9981KLM', 'PF2ABCDE'], 3000, 'identifier'],
  ['Employee', 'text', people, 400, 'person_name'],
  ['Employee_Name', 'text', people, 400, 'person_name'],
  ['USER_FULL_NAME', 'text', people, 400, 'person_name'],
  ['owner', 'text', people, 400, 'person_name'],
  ['User Name', 'text', people, 400, 'person_name'],
  ['Assigned To', 'text', people, 400, 'person_name'],
  ['Player', 'text', ['Lionel Messi', 'Kylian Mbappe', 'Harry Kane'], 300, 'person_name'],
  ['Username', 'text', logins, 400, 'username'],
  ['USER_ID', 'text', logins, 400, 'username'],
  ['Login', 'text', logins, 400, 'username'],
  ['contact', 'text', ['ana@example.com', 'bruno@example.org'], 400, 'email'],
  ['Manufacturer', 'text', brands, 8, 'organization'],
  ['BRAND', 'text', brands, 8, 'organization'],
  ['company', 'text', brands, 8, 'organization'],
  ['Company/Brand', 'text', brands, 8, 'organization'],
  ['vendorName', 'text', ['Acme Corp', 'Globex', 'Initech'], 12, 'organization'],
  ['Model', 'text', models, 30, 'product'],
  ['Model #', 'text', models, 30, 'product'],
  ['Model_Name', 'text', models, 30, 'product'],
  ['Category', 'text', categories, 6, 'category'],
  ['Device Type', 'text', categories, 6, 'category'],
  ['TYPE', 'text', categories, 6, 'category'],
  ['Department', 'text', teams, 9, 'category'],
  ['TEAM', 'text', teams, 9, 'category'],
  ['Dept.', 'text', teams, 9, 'category'],
  ['Location', 'text', cities, 9, 'location'],
  ['SITE', 'text', cities, 9, 'location'],
  ['City', 'text', cities, 9, 'location'],
  ['Nation', 'text', ['Norway', 'Germany', 'Canada'], 40, 'location'],
  ['Office_Location', 'text', cities, 9, 'location'],
  ['Cost', 'numeric', [], 2900, 'money'],
  ['PRICE', 'numeric', [], 2900, 'money'],
  ['Cost ($)', 'numeric', [], 2900, 'money'],
  ['Amount', 'text', money, 2900, 'money'],
  ['Salary', 'integer', [], 500, 'money'],
  ['Purchase Date', 'date', [], 1500, 'date'],
  ['ACQUIRED_ON', 'date', [], 1500, 'date'],
  ['Warranty Ends', 'date', [], 1500, 'date'],
  ['signup', 'text', ['2021-01-04', '2022-11-30'], 900, 'date'],
  ['Status', 'text', statuses, 4, 'status'],
  ['STATE', 'text', statuses, 4, 'status'],
  ['Status!', 'text', statuses, 4, 'status'],
  ['condition', 'text', ['new', 'broken', 'available'], 3, 'status'],
  ['Gold', 'integer', [], 12, 'quantity'],
  ['Points', 'numeric', [], 200, 'quantity'],
  ['Qty', 'integer', [], 40, 'quantity'],
  ['Notes', 'text', ['Screen replaced after a fall in the office in March; keyboard sticky'], 800, 'text'],
  ['is_active', 'boolean', [], 2, 'boolean'],
  ['hometown', 'text', ['Springfield', 'Shelbyville'], 200, 'location'],
]

describe('detectColumnRole', () => {
  it.each(cases)('%s (%s) → %s', (header, type, values, distinct, expected) => {
    const result = detectColumnRole({
      originalName: header,
      name: splitHeaderWords(header).words.join('_'),
      type,
      distinctCount: distinct,
      rowCount: 3000,
      nullCount: 0,
      topValues: values.map((value) => ({ value, count: 10 })),
    })
    expect(result.role).toBe(expected)
    expect(result.confidence).toBeGreaterThan(0)
    expect(result.confidence).toBeLessThanOrEqual(1)
  })

  it('is more confident when header and values agree than from values alone', () => {
    const base = { type: 'text' as const, distinctCount: 9, rowCount: 3000, nullCount: 0,
      topValues: cities.map((value) => ({ value, count: 5 })) }
    const both = detectColumnRole({ ...base, originalName: 'City', name: 'city' })
    const valuesOnly = detectColumnRole({ ...base, originalName: 'col_7', name: 'col_7' })
    expect(valuesOnly.role).toBe('location')
    expect(both.confidence).toBeGreaterThan(valuesOnly.confidence)
  })

  it('falls back to text with low confidence when nothing speaks for a role', () => {
    const result = detectColumnRole({ originalName: 'xq', name: 'xq', type: 'text', distinctCount: 2900,
      rowCount: 3000, nullCount: 0, topValues: [{ value: 'misc. (see box 4)', count: 1 }] })
    expect(result).toEqual({ role: 'text', confidence: 0.3 })
  })
})

describe('splitHeaderWords', () => {
  it.each([
    ['Asset#ID@', ['asset', 'id']],
    ['assetTagCode', ['asset', 'tag', 'code']],
    ['USER_FULL_NAME', ['user', 'full', 'name']],
    ['Company/Brand', ['company', 'brand']],
    ['HTTPServerName', ['http', 'server', 'name']],
  ])('%s', (header, words) => expect(splitHeaderWords(header).words).toEqual(words))
})
