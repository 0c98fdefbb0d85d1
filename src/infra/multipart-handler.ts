import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ExecutionResult } from 'graphql'
import { GraphQLError } from 'graphql'
import processRequest from 'graphql-upload/processRequest.mjs'
import type Upload from 'graphql-upload/Upload.mjs'
import type { YogaServerInstance } from 'graphql-yoga'
import type { UploadedFile } from './uploaded-file.ts'
import { AppError } from '../errors.ts'

interface Operation {
  query?: string
  operationName?: string | null
  variables?: Record<string, unknown> | null
}

export interface MultipartOptions {
  maxFileSize: number
  /** Header names one of which must be present (CSRF: multipart is a "simple" request browsers send freely). */
  csrfHeaders: string[]
}

/** Bytes per read of an uploaded file's buffered copy. */
const READ_BYTES = 256 * 1024

/** Replaces each graphql-upload `Upload` in the variables by a streaming `UploadedFile`. */
function toUploadedFiles(value: unknown, maxFileSize: number): unknown {
  if (value && typeof value === 'object' && 'promise' in value && 'resolve' in value) {
    const upload = value as Upload
    let name = 'upload.csv'
    let type = 'text/csv'
    const file: UploadedFile = {
      get name() {
        return upload.file?.filename ?? name
      },
      get type() {
        return upload.file?.mimetype ?? type
      },
      stream: () =>
        (async function* () {
          const resolved = await upload.promise
          name = resolved.filename
          type = resolved.mimetype
          try {
            // graphql-upload buffers the part in a temp file; reads of the stream default (16 KiB) cost a
            // thread-pool round trip each, and many come back empty while the upload is still arriving.
            yield* resolved.createReadStream({ highWaterMark: READ_BYTES }) as AsyncIterable<Uint8Array>
          } catch (error) {
            // graphql-upload stops the stream at maxFileSize with an http-errors 413.
            if ((error as { status?: number }).status === 413) {
              throw new AppError('PAYLOAD_TOO_LARGE', `the file is larger than the upload limit (${maxFileSize} bytes)`)
            }
            throw error
          }
        })(),
    }
    return file
  }
  if (Array.isArray(value)) return value.map((v) => toUploadedFiles(v, maxFileSize))
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toUploadedFiles(v, maxFileSize)]))
  }
  return value
}

const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
  res.end(JSON.stringify(body))
}

const errorBody = (error: GraphQLError) => ({ errors: [error.toJSON()] })

/**
 * GraphQL multipart requests (uploads), handled before Yoga because Yoga's fetch layer buffers whole files in
 * memory. graphql-upload streams each file part (spilling to a temp file only when a resolver reads late), and
 * the operation runs through Yoga's envelop so the same plugins (auth, limits, telemetry) apply.
 */
export function createMultipartHandler(yoga: YogaServerInstance<any, any>, options: MultipartOptions) {
  return async function handleMultipart(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!options.csrfHeaders.some((h) => req.headers[h.toLowerCase()] !== undefined)) {
      sendJson(res, 403, errorBody(new AppError('FORBIDDEN', `uploads need one of the headers ${options.csrfHeaders.join(', ')} (CSRF protection)`)))
      return
    }
    let operations: Operation | Operation[]
    try {
      operations = (await processRequest(req, res, { maxFileSize: options.maxFileSize, maxFiles: 10 })) as Operation | Operation[]
    } catch (error) {
      const status = (error as { status?: number }).status ?? 400
      const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_INPUT'
      sendJson(res, status, errorBody(new AppError(code, (error as Error).message)))
      return
    }
    const list = Array.isArray(operations) ? operations : [operations]
    const results: ExecutionResult[] = []
    for (const operation of list) results.push(await executeOne(yoga, req, operation, options.maxFileSize))
    sendJson(res, 200, Array.isArray(operations) ? results : results[0])
  }
}

async function executeOne(yoga: YogaServerInstance<any, any>, req: IncomingMessage, operation: Operation, maxFileSize: number): Promise<ExecutionResult> {
  const request = new Request(`http://localhost${req.url ?? '/graphql'}`, {
    method: 'POST',
    headers: Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])) as [string, string][],
  })
  const params = { query: operation.query, operationName: operation.operationName ?? undefined, variables: toUploadedFiles(operation.variables ?? {}, maxFileSize) as Record<string, unknown> }
  const { schema, parse, validate, execute, contextFactory } = yoga.getEnveloped({ request, req, params })
  try {
    if (!params.query) throw new AppError('BAD_INPUT', 'the operations field has no query')
    const document = parse(params.query)
    const errors = validate(schema, document)
    if (errors.length > 0) return { errors }
    const contextValue = await contextFactory()
    return (await execute({ schema, document, variableValues: params.variables, operationName: params.operationName, contextValue })) as ExecutionResult
  } catch (error) {
    if (error instanceof GraphQLError) return { errors: [error] }
    throw error
  }
}
