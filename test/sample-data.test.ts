import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { generateAssets } from '../scripts/generate-assets.ts'
import { SAMPLE_CSV } from '../src/cli.ts'

describe('bundled sample dataset', () => {
  it('is exactly what `npm run sample` generates (3,000 rows, seed 42)', () => {
    expect(readFileSync(SAMPLE_CSV, 'utf8')).toBe(generateAssets({ rows: 3000, seed: 42, convention: 'default' }))
  })
})
