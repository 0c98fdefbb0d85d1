import { describe, expect, it } from 'vitest'
import { readDates, readLimits, readNumberConditions } from './read-conditions.ts'
import { tokenizeQuestion } from './tokenize-question.ts'

const dates = (q: string) => readDates(tokenizeQuestion(q)).map(({ from, to }) => ({ from, to }))
const numbers = (q: string) => readNumberConditions(tokenizeQuestion(q), new Set()).map(({ op, value, upper, money }) => ({ op, value, upper, money }))

describe('date phrases', () => {
  it.each([
    ['bought in 2021', { from: '2021-01-01', to: '2022-01-01' }],
    ['before 2020', { from: null, to: '2020-01-01' }],
    ['after 2020', { from: '2021-01-01', to: null }],
    ['since June 2022', { from: '2022-06-01', to: null }],
    ['in December 2022', { from: '2022-12-01', to: '2023-01-01' }],
    ['from 2019 to 2021', { from: '2019-01-01', to: '2022-01-01' }],
    ['between 2019 and 2020', { from: '2019-01-01', to: '2021-01-01' }],
    ['until 2020', { from: null, to: '2021-01-01' }],
    ['before 03/15/2021', { from: null, to: '2021-03-15' }],
    ['on 2023-04-08', { from: '2023-04-08', to: '2023-04-09' }],
  ])('%s', (q, expected) => expect(dates(q)).toEqual([expected]))

  it('leaves plain numbers alone', () => expect(dates('more than 2000 devices')).toEqual([]))
})

describe('number comparisons', () => {
  it.each([
    ['more than 40 devices', { op: 'gt', value: 40, upper: null, money: false }],
    ['under $1,234.50', { op: 'lt', value: 1234.5, upper: null, money: true }],
    ['at least 3', { op: 'gte', value: 3, upper: null, money: false }],
    ['no more than 5', { op: 'lte', value: 5, upper: null, money: false }],
    ['cheaper than 200', { op: 'lt', value: 200, upper: null, money: true }],
    ['between 500 and 1000', { op: 'gte', value: 500, upper: 1000, money: false }],
    ['over 1.5k', { op: 'gt', value: 1500, upper: null, money: false }],
    ['over 15 million people', { op: 'gt', value: 15_000_000, upper: null, money: false }],
  ])('%s', (q, expected) => expect(numbers(q)).toEqual([expected]))
})

describe('limits', () => {
  const limits = (q: string) => readLimits(tokenizeQuestion(q), new Set(['most', 'cheapest']), new Set()).map(({ count, dir }) => ({ count, dir }))
  it('reads top/bottom N and a count before a superlative', () => {
    expect(limits('top 5 brands')).toEqual([{ count: 5, dir: 'desc' }])
    expect(limits('bottom 3 sites')).toEqual([{ count: 3, dir: 'asc' }])
    expect(limits('the 3 cheapest phones')).toEqual([{ count: 3, dir: null }])
    expect(limits('devices in 2021')).toEqual([])
  })
})
