import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../src/config.ts'

describe('telemetry configuration', () => {
  it('defaults to monitoring on with one-second sampling and the built-in rules', () => {
    expect(loadConfig({}).telemetry).toEqual({ enabled: true, sampleIntervalMs: 1_000, baselineIntervalMs: 60_000, baselineWarmupSamples: 5, alertRules: {} })
  })

  it('reads the switch, the intervals and per-rule overrides', () => {
    const config = loadConfig({
      PHERS_TELEMETRY: '0',
      PHERS_TELEMETRY_SAMPLE_MS: '250',
      PHERS_TELEMETRY_BASELINE_MS: '5000',
      PHERS_TELEMETRY_BASELINE_WARMUP: '3',
      PHERS_ALERT_RULES: '{"latencyRegression":{"windowMs":10000,"forMs":5000},"redisDown":{"enabled":false,"severity":"WARNING"}}',
    })
    expect(config.telemetry).toEqual({
      enabled: false, sampleIntervalMs: 250, baselineIntervalMs: 5_000, baselineWarmupSamples: 3,
      alertRules: { latencyRegression: { windowMs: 10_000, forMs: 5_000 }, redisDown: { enabled: false, severity: 'WARNING' } },
    })
  })

  it.each([
    ['not json', /PHERS_ALERT_RULES: must be a JSON object/],
    ['{"latencyRegresion":{}}', /PHERS_ALERT_RULES: Unrecognized key/],
    ['{"errorRate":{"ratio":"high"}}', /PHERS_ALERT_RULES\.errorRate\.ratio/],
    ['{"errorRate":{"severity":"PANIC"}}', /PHERS_ALERT_RULES\.errorRate\.severity/],
  ])('refuses PHERS_ALERT_RULES=%s naming the variable', (value, message) => {
    expect(() => loadConfig({ PHERS_ALERT_RULES: value })).toThrow(ConfigError)
    expect(() => loadConfig({ PHERS_ALERT_RULES: value })).toThrow(message)
  })

  it('refuses a sampling interval below 100 ms', () => {
    expect(() => loadConfig({ PHERS_TELEMETRY_SAMPLE_MS: '10' })).toThrow(/PHERS_TELEMETRY_SAMPLE_MS/)
  })
})
