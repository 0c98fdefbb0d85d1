import { randomUUID } from 'node:crypto'
import type { Alert, AlertEvent, Clock, Severity, SubjectKind } from './telemetry-types.ts'

/** One subject's state under one rule at one evaluation. */
export interface Condition {
  subjectKind: SubjectKind
  subject: string
  value: number
  threshold: number
  /** Past the firing threshold now. */
  firing: boolean
  /** Back past the (lower) resolve threshold: the gap between the two is the hysteresis band. */
  clear: boolean
  message: string
}

export interface AlertRule<O> {
  name: string
  severity: Severity
  /** How long `firing` must hold before an alert fires, so a single spike does not page anyone. */
  forMs: number
  /** How long `clear` must hold before the alert resolves; defaults to 0. */
  clearForMs?: number
  evaluate(observation: O): Condition[]
}

export interface AlertEngineOptions<O> {
  rules: AlertRule<O>[]
  instanceId: string
  clock: Clock
  newId?: () => string
}

export interface AlertEngine<O> {
  /** Evaluates every rule and returns the transitions (fired, resolved) this evaluation caused. */
  evaluate(observation: O): AlertEvent[]
  active(): Alert[]
  isActive(rule: string, subject: string): boolean
  /** Firing but still inside its `for` duration, or active: either way the subject is not behaving normally. */
  isEngaged(rule: string, subject: string): boolean
}

interface SubjectState {
  pendingSince: number | null
  clearSince: number | null
  alert: Alert | null
}

/**
 * Pure state machine: no I/O, time from the injected clock. De-duplication comes from keying state by
 * rule + subject, so a subject has at most one active alert per rule however long it stays bad.
 */
export function createAlertEngine<O>(options: AlertEngineOptions<O>): AlertEngine<O> {
  const { rules, instanceId, clock } = options
  const newId = options.newId ?? randomUUID
  const states = new Map<string, SubjectState>()
  const keyOf = (rule: string, subject: string) => `${rule}\u0000${subject}`

  const step = (rule: AlertRule<O>, c: Condition | null, state: SubjectState, now: number): AlertEvent | null => {
    if (!state.alert) {
      state.clearSince = null
      if (!c?.firing) {
        state.pendingSince = null
        return null
      }
      state.pendingSince ??= now
      if (now - state.pendingSince < rule.forMs) return null
      state.alert = {
        id: newId(),
        rule: rule.name,
        severity: rule.severity,
        subjectKind: c.subjectKind,
        subject: c.subject,
        message: c.message,
        value: c.value,
        threshold: c.threshold,
        firedAt: new Date(now),
        resolvedAt: null,
        instanceId,
      }
      return { kind: 'FIRED', alert: { ...state.alert } }
    }
    // A subject that no longer reports (no traffic, probe gone) counts as clear.
    const clear = c ? c.clear : true
    if (c) state.alert.value = c.value
    if (!clear) {
      state.clearSince = null
      return null
    }
    state.clearSince ??= now
    if (now - state.clearSince < (rule.clearForMs ?? 0)) return null
    const resolved: Alert = { ...state.alert, resolvedAt: new Date(now) }
    state.alert = null
    state.pendingSince = null
    state.clearSince = null
    return { kind: 'RESOLVED', alert: resolved }
  }

  return {
    evaluate(observation) {
      const now = clock.now()
      const events: AlertEvent[] = []
      for (const rule of rules) {
        const seen = new Set<string>()
        for (const condition of rule.evaluate(observation)) {
          const key = keyOf(rule.name, condition.subject)
          seen.add(key)
          let state = states.get(key)
          if (!state) states.set(key, (state = { pendingSince: null, clearSince: null, alert: null }))
          const event = step(rule, condition, state, now)
          if (event) events.push(event)
        }
        for (const [key, state] of states) {
          if (seen.has(key) || !key.startsWith(`${rule.name}\u0000`)) continue
          const event = step(rule, null, state, now)
          if (event) events.push(event)
          if (!state.alert && state.pendingSince === null) states.delete(key)
        }
      }
      return events
    },
    active: () => [...states.values()].flatMap((s) => (s.alert ? [{ ...s.alert }] : [])),
    isActive: (rule, subject) => Boolean(states.get(keyOf(rule, subject))?.alert),
    isEngaged(rule, subject) {
      const state = states.get(keyOf(rule, subject))
      return Boolean(state && (state.alert || state.pendingSince !== null))
    },
  }
}
