import { describe, expect, it } from 'vitest'
import { AppError } from '../../errors.ts'
import { memoizeGuard, type GuardCheck } from './guard-memo.ts'
import type { GuardOptions } from './guarded-statement.ts'
import { createStatementGuard } from './statement-guard.ts'

const viewer: GuardOptions = { params: 0, admin: false, embedded: false, maxResultRows: 1000 }

/** The real guard, counting how often it actually parses. */
async function countingGuard(): Promise<{ check: GuardCheck; calls: () => number }> {
  const guard = await createStatementGuard({ memoBytes: 0 })
  let calls = 0
  return {
    check: (text, options) => {
      calls += 1
      return guard.check(text, options)
    },
    calls: () => calls,
  }
}

describe('guard memo', () => {
  it('parses a repeated text once and shares one frozen result', async () => {
    const inner = await countingGuard()
    const check = memoizeGuard(inner.check)
    const first = check("SELECT a FROM t WHERE b = 'x'", viewer)
    const second = check("SELECT a FROM t WHERE b = 'x'", viewer)
    expect(second).toBe(first)
    expect(inner.calls()).toBe(1)
    expect(Object.isFrozen(first.constants)).toBe(true)
    expect(Object.isFrozen(first.relations[0])).toBe(true)
  })

  it('keeps texts and options apart: a result for an admin is not reused for a viewer', async () => {
    const inner = await countingGuard()
    const check = memoizeGuard(inner.check)
    expect(check('SELECT * FROM ds_shared.t', { ...viewer, admin: true }).relations).toEqual([{ schema: 'ds_shared', name: 't', location: 14 }])
    expect(() => check('SELECT * FROM ds_shared.t', viewer)).toThrow(AppError)
    check('SELECT * FROM t WHERE a = $1', { ...viewer, params: 1 })
    expect(() => check('SELECT * FROM t WHERE a = $1', viewer)).toThrow(/\$1 has no bound value/)
    check('select * from t', viewer)
    expect(inner.calls()).toBe(5)
  })

  it('does not remember refusals: each one is checked again', async () => {
    const inner = await countingGuard()
    const check = memoizeGuard(inner.check)
    for (let i = 0; i < 3; i += 1) expect(() => check('DELETE FROM t', viewer)).toThrow(AppError)
    expect(inner.calls()).toBe(3)
  })

  it('stays within its byte budget, dropping the least recently used texts', async () => {
    const inner = await countingGuard()
    // Room for two of these keys (options prefix and text, two bytes per character) but not three.
    const check = memoizeGuard(inner.check, 160)
    const texts = ['SELECT a FROM t WHERE b = 1', 'SELECT a FROM t WHERE b = 2', 'SELECT a FROM t WHERE b = 3']
    for (const text of texts) check(text, viewer)
    check(texts[2]!, viewer)
    expect(inner.calls()).toBe(3)
    check(texts[0]!, viewer)
    expect(inner.calls()).toBe(4)
  })
})
