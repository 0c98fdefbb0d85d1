import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../errors.ts'
import { createPlanCapture, type PlanCandidate, type PlanExplainer } from './plan-capture.ts'
import type { PlanSummary } from './telemetry-types.ts'

const scanPlan = (rows: number) => [{ Plan: { 'Node Type': 'Seq Scan', 'Relation Name': 't', 'Total Cost': 10, 'Plan Rows': rows } }]

function setup(explain: PlanExplainer) {
  const clock = { t: 1_000_000, now() { return this.t } }
  const recorded = new Map<string, PlanSummary>()
  const calls: { sql: string; viewerId: string; analyze: boolean }[] = []
  const capture = createPlanCapture({
    explain: async (request) => {
      calls.push(request)
      return explain(request)
    },
    record: (fingerprint, plan) => recorded.set(fingerprint, plan),
    clock,
    logger: pino({ level: 'silent' }),
    options: { maxAgeMs: 60_000, largeTableRows: 100 },
  })
  return { clock, recorded, calls, capture }
}

const candidate = (fingerprint: string, extra: Partial<PlanCandidate> = {}): PlanCandidate => ({
  fingerprint, sql: `select * from t -- ${fingerprint}`, viewerId: 'k1', capturedAt: null, ...extra,
})

describe('createPlanCapture', () => {
  it('records plans of due candidates and skips fresh plans and unknown viewers', async () => {
    const { clock, recorded, calls, capture } = setup(async () => scanPlan(500))
    const fresh = new Date(clock.t - 1_000)
    const taken = await capture.refresh([candidate('a'), candidate('b', { capturedAt: fresh }), candidate('c', { viewerId: null })])
    expect(taken).toBe(1)
    expect(calls).toEqual([{ sql: 'select * from t -- a', viewerId: 'k1', analyze: true }])
    expect(recorded.get('a')?.seqScans).toEqual([{ table: 't', rows: 500 }])
  })

  it('falls back to a plain EXPLAIN when ANALYZE is refused, and retries a fingerprint only after maxAgeMs', async () => {
    const { clock, recorded, calls, capture } = setup(async ({ analyze }) => {
      if (analyze) throw new AppError('SQL_NOT_ALLOWED', 'too expensive for the embedded database')
      return scanPlan(200)
    })
    expect(await capture.refresh([candidate('a')])).toBe(1)
    expect(calls.map((c) => c.analyze)).toEqual([true, false])
    expect(await capture.refresh([candidate('a')])).toBe(0)
    clock.t += 60_000
    expect(await capture.refresh([candidate('a')])).toBe(1)
    expect(recorded.get('a')?.executionMs).toBeNull()
  })

  it('survives a failing EXPLAIN and takes one statement at a time', async () => {
    let running = 0
    let most = 0
    const { recorded, capture } = setup(async ({ sql }) => {
      most = Math.max(most, ++running)
      await new Promise((r) => setTimeout(r, 5))
      running--
      if (sql.includes('bad')) throw new Error('connection reset')
      return scanPlan(300)
    })
    const results = await Promise.all([capture.refresh([candidate('bad'), candidate('x')]), capture.refresh([candidate('y')])])
    expect(results).toEqual([1, 1])
    expect(most).toBe(1)
    expect([...recorded.keys()].sort()).toEqual(['x', 'y'])
    await capture.stop()
    expect(await capture.refresh([candidate('z')])).toBe(0)
  })
})
