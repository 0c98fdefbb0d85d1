import SchemaBuilder from '@pothos/core'
import RelayPlugin from '@pothos/plugin-relay'
import ScopeAuthPlugin from '@pothos/plugin-scope-auth'
import SimpleObjectsPlugin from '@pothos/plugin-simple-objects'
import type { AppContext } from '../context.ts'
import { roleAtLeast } from '../features/auth/viewer.ts'
import { AppError } from '../errors.ts'
import { isUploadedFile, type UploadedFile } from '../infra/uploaded-file.ts'

/** The single Pothos builder; feature `*.schema.ts` files add their types to it. */
export const builder = new SchemaBuilder<{
  Context: AppContext
  AuthScopes: { viewer: boolean; analyst: boolean; admin: boolean }
  Scalars: {
    JSON: { Input: unknown; Output: unknown }
    DateTime: { Input: Date; Output: Date | string }
    File: { Input: UploadedFile; Output: never }
  }
  DefaultFieldNullability: false
  DefaultInputFieldRequiredness: false
}>({
  plugins: [ScopeAuthPlugin, SimpleObjectsPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (ctx) => ({
      viewer: true,
      analyst: roleAtLeast(ctx.viewer, 'ANALYST'),
      admin: roleAtLeast(ctx.viewer, 'ADMIN'),
    }),
    unauthorizedError: (_parent, _context, _info, result) => new AppError('FORBIDDEN', result.message),
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
})

builder.queryType({})
builder.mutationType({})
builder.subscriptionType({})

builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
})

builder.scalarType('DateTime', {
  description: 'An ISO-8601 timestamp.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : String(value)),
  parseValue: (value) => {
    const date = new Date(String(value))
    if (Number.isNaN(date.getTime())) throw new AppError('BAD_INPUT', `not a timestamp: ${String(value)}`)
    return date
  },
})

builder.scalarType('File', {
  description: 'A file upload (GraphQL multipart request spec).',
  serialize: () => {
    throw new AppError('INTERNAL', 'File is an input-only scalar')
  },
  parseValue: (value) => {
    if (!isUploadedFile(value)) throw new AppError('BAD_INPUT', 'expected a file sent as a multipart request')
    return value
  },
})
