import type { CodegenConfig } from '@graphql-codegen/cli'

/** Typed documents for tests and clients, generated from the committed SDL (`npm run codegen`). */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['test/documents/*.graphql'],
  generates: {
    'test/generated/graphql.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        avoidOptionals: true,
        scalars: { JSON: 'unknown', DateTime: 'string', File: 'File', ID: 'string' },
      },
    },
  },
}

export default config
