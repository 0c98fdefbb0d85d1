import { describe, expect, it } from 'vitest'
import type { CandidateEvaluation } from './candidate-evaluator.ts'
import type { IndexKey } from './optimizer-types.ts'
import { selectIndexes } from './select-indexes.ts'

const key = (column: string): IndexKey => ({ column, fn: null, opclass: null })
const evaluation = (columns: string[], sizeBytes: number, costs: number[]): CandidateEvaluation => ({
  candidate: { schema: 's', table: 't', method: 'btree', keys: columns.map(key), because: [] }, sizeBytes, costs, elapsedMs: 1, method: 'rollback',
})
const names = (selected: ReturnType<typeof selectIndexes>) => selected.map((s) => s.evaluation.candidate.keys.map((k) => k.column).join(','))

describe('index selection', () => {
  const statements = [{ calls: 10, cost: 1000 }, { calls: 1, cost: 1000 }]

  it('keeps a candidate only when the call-weighted cost of what it helps drops by half', () => {
    const halfOff = evaluation(['a'], 1e6, [400, 1000])
    const slight = evaluation(['b'], 1e6, [1000, 600])
    expect(names(selectIndexes(statements, [halfOff, slight]))).toEqual(['a'])
    const [chosen] = selectIndexes(statements, [halfOff])
    expect(chosen).toMatchObject({ helped: [0], before: 10_000, after: 4000 })
  })

  it('weights by frequency: a big gain on a rare statement does not carry a frequent one', () => {
    const both = evaluation(['a'], 1e6, [900, 1])
    expect(selectIndexes(statements, [both])).toEqual([])
  })

  it('prefers the smaller of two indexes that give the same plans', () => {
    const narrow = evaluation(['a'], 1e6, [10, 1000])
    const wide = evaluation(['a', 'b'], 3e6, [10, 1000])
    expect(names(selectIndexes(statements, [wide, narrow]))).toEqual(['a'])
  })

  it('a wider index that halves the cost again replaces its prefix', () => {
    const narrow = evaluation(['a'], 1e6, [100, 1000])
    const wide = evaluation(['a', 'b'], 2e6, [5, 1000])
    expect(names(selectIndexes(statements, [narrow, wide]))).toEqual(['a,b'])
  })

  it('two indexes for two different statements are both kept', () => {
    expect(names(selectIndexes(statements, [evaluation(['a'], 1e6, [10, 1000]), evaluation(['c'], 1e6, [1000, 10])]))).toEqual(['a', 'c'])
  })

  it('a candidate that failed to evaluate helps nothing', () => {
    expect(selectIndexes(statements, [evaluation(['a'], 0, [])])).toEqual([])
  })
})
