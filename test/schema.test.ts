import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { renderSchema, SCHEMA_FILE } from '../src/schema/print.ts'

describe('schema/schema.graphql', () => {
  it('matches the schema the code builds (run `npm run schema` after changing types)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(renderSchema())
  })
})
