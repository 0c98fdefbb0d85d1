import type { Plugin } from 'graphql-yoga'
import { AppError } from '../errors.ts'

const BYTE_COUNT = /^\d+$/

const tooLarge = (limit: number) => new AppError('PAYLOAD_TOO_LARGE', `the request body is larger than the ${limit}-byte limit`)

/**
 * The request-body limit for GraphQL over HTTP (uploads have their own, in the multipart handler), in place of
 * Yoga's `maxRequestBodySize`. Yoga's pipes every body through a TransformStream, with an AbortController and
 * a DOMException per pipe: measured here at ~140 µs of a `{ __typename }` request's ~180 µs. A declared
 * Content-Length already bounds the body (Node's HTTP parser reads exactly that many bytes and no more), so
 * only a body without one (chunked transfer) is counted, as it is read.
 */
export function useRequestBodyLimit(limit: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const declared = request.headers.get('content-length')
      if (declared !== null) {
        if (!BYTE_COUNT.test(declared)) throw new AppError('BAD_INPUT', 'the Content-Length header must be a single byte count')
        if (Number(declared) > limit) throw tooLarge(limit)
        return
      }
      if (!requestParser || !request.body) return
      const parse = requestParser
      setRequestParser(async (req) => parse(await withCountedBody(req, limit, fetchAPI.Request)))
    },
  }
}

/** `request` with its body read up to `limit` bytes (PAYLOAD_TOO_LARGE past it) and held, for the parser. */
async function withCountedBody(request: Request, limit: number, RequestCtor: typeof Request): Promise<Request> {
  const reader = request.body!.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    size += next.value.byteLength
    if (size > limit) {
      await reader.cancel()
      throw tooLarge(limit)
    }
    chunks.push(next.value)
  }
  return new RequestCtor(request.url, { method: request.method, headers: request.headers, signal: request.signal, body: Buffer.concat(chunks, size) })
}
