import { lexicographicSortSchema, type GraphQLSchema } from 'graphql'
import { builder } from './builder.ts'
import './system.schema.ts'
import '../features/auth/auth.schema.ts'
import '../features/sql/sql.schema.ts'
import '../features/datasets/datasets.schema.ts'
import '../features/datasets/dataset-events.schema.ts'
import '../features/cache/cache.schema.ts'
import '../features/optimizer/optimizer.schema.ts'
import '../features/telemetry/telemetry.schema.ts'
import '../features/chat/chat.schema.ts'

/** Builds the schema from every feature's `*.schema.ts` (imported above for their side effects on the builder). */
export function buildSchema(): GraphQLSchema {
  return builder.toSchema({ sortSchema: false })
}

export const printableSchema = (schema: GraphQLSchema) => lexicographicSortSchema(schema)
