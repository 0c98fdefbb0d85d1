import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.ts'
import { createApp } from './app.ts'

describe('loadConfig', () => {
  it('gives the documented defaults: embedded database under ./.phers, loopback, port 4000', () => {
    const config = loadConfig({})
    expect(config.database).toEqual({ kind: 'pglite', dataDir: './.phers' })
    expect(config).toMatchObject({ host: '127.0.0.1', port: 4000, redisUrl: null, adminKey: null, autoIndex: false })
    expect(config.sql).toMatchObject({ statementTimeoutMs: 5000, pageRows: 1000 })
    expect(config.maxUploadBytes).toBe(1024 ** 3)
  })

  it('switches to PostgreSQL and Redis by URL', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/x', REDIS_URL: 'redis://cache:6379' })
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/x' })
    expect(config.redisUrl).toBe('redis://cache:6379')
  })

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL'],
    [{ PHERS_ADMIN_KEY: 'short' }, 'PHERS_ADMIN_KEY'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ PHERS_WORK_MEM: 'lots' }, 'PHERS_WORK_MEM'],
    [{ PHERS_AUTO_INDEX: 'maybe' }, 'PHERS_AUTO_INDEX'],
    [{ PHERS_LLM_URL: 'http://127.0.0.1:9/v1' }, 'PHERS_LLM_MODEL'],
  ])('rejects %o naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError)
    expect(() => loadConfig(env)).toThrow(variable)
  })

  it('treats empty values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).database.kind).toBe('pglite')
  })
})

describe('start-up safety', () => {
  it('refuses to serve anonymous admin on a non-loopback address', async () => {
    const config = { ...loadConfig({ HOST: '0.0.0.0', LOG_LEVEL: 'silent' }), database: { kind: 'pglite', dataDir: null } as const }
    await expect(createApp(config)).rejects.toThrow(/PHERS_ADMIN_KEY/)
  })
})
