import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { printSchema } from 'graphql'
import { buildSchema, printableSchema } from './index.ts'

export const SCHEMA_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schema/schema.graphql')

/** The committed SDL: sorted, so diffs show real changes only. */
export const renderSchema = () => `${printSchema(printableSchema(buildSchema()))}\n`

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  writeFileSync(SCHEMA_FILE, renderSchema())
  console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`)
}
