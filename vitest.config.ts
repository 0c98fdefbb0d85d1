import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS entry for the libraries (Pothos, Yoga); Vite would give our own files the
    // ESM entry. Two copies of graphql break `instanceof` checks, so our files get the same entry as Node's.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores on CI: run files in parallel but not more than the machine can take.
    maxWorkers: 2,
    pool: 'forks',
  },
})
