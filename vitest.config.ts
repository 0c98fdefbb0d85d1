import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores on CI: run files in parallel but not more than the machine can take.
    maxWorkers: 2,
    pool: 'forks',
  },
})
