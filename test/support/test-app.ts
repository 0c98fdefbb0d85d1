import pino from 'pino'
import { loadConfig, type Config } from '../../src/config.ts'
import { createApp, type App } from '../../src/app.ts'
import type { Backend } from './backends.ts'

export interface GraphqlResponse<T = any> {
  data?: T
  errors?: { message: string; extensions?: { code?: string } & Record<string, unknown> }[]
}

export interface TestApp {
  app: App
  url: string
  /** POSTs a GraphQL operation; `key` sends `Authorization: Bearer <key>`. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, options?: { key?: string; signal?: AbortSignal }): Promise<GraphqlResponse<T>>
  /** Uploads CSV text through the GraphQL multipart request spec. */
  upload(csv: string | Uint8Array, options?: { name?: string; fileName?: string; key?: string }): Promise<GraphqlResponse<{ uploadDataset: any }>>
  stop(): Promise<void>
}

export const UPLOAD_MUTATION = `mutation Upload($file: File!, $name: String) {
  uploadDataset(file: $file, name: $name) { id name tableName version rowCount columns { name originalName type } }
}`

/** Starts a real server on a free loopback port over a fresh database of the given backend. */
export async function startTestApp(backend: Backend, env: Record<string, string> = {}): Promise<TestApp> {
  const { database, drop } = await backend.createDatabase()
  const base = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env })
  const config: Config = { ...base, database }
  const app = await createApp(config, { logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) })
  const url = await app.start()
  const headers = (key?: string): Record<string, string> => ({
    'x-phers-client': 'test',
    ...(key ? { authorization: `Bearer ${key}` } : {}),
  })
  return {
    app,
    url,
    async gql(query, variables = {}, options = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers(options.key) },
        body: JSON.stringify({ query, variables }),
        signal: options.signal,
      })
      return (await response.json()) as GraphqlResponse
    },
    async upload(csv, options = {}) {
      const form = new FormData()
      form.set('operations', JSON.stringify({ query: UPLOAD_MUTATION, variables: { file: null, name: options.name ?? null } }))
      form.set('map', JSON.stringify({ 0: ['variables.file'] }))
      form.set('0', new Blob([typeof csv === 'string' ? csv : Buffer.from(csv)], { type: 'text/csv' }), options.fileName ?? 'upload.csv')
      const response = await fetch(`${url}/graphql`, { method: 'POST', headers: headers(options.key), body: form })
      return (await response.json()) as GraphqlResponse
    },
    async stop() {
      await app.stop()
      await drop()
    },
  }
}
