import { randomUUID } from 'node:crypto'
import type { Plugin } from 'graphql-yoga'

export interface RequestIds {
  /** The id of an HTTP request: the client's `x-request-id` when sane, otherwise a new one. */
  of(request: Request | undefined): string
  plugin: Plugin
}

const SANE = /^[\w.:-]{1,100}$/

/**
 * One id per request, echoed in the `x-request-id` response header and put on the context (and so on every
 * log line of that request), so a user's report can be matched with the server's logs.
 */
export function createRequestIds(): RequestIds {
  const ids = new WeakMap<Request, string>()
  const of = (request: Request | undefined) => {
    if (!request) return randomUUID()
    let id = ids.get(request)
    if (!id) {
      const sent = request.headers.get('x-request-id')
      id = sent && SANE.test(sent) ? sent : randomUUID()
      ids.set(request, id)
    }
    return id
  }
  return {
    of,
    plugin: {
      onResponse({ request, response }) {
        response.headers.set('x-request-id', of(request))
        // Not left to the WeakMap: Node 20's young-generation collector keeps entries with a young key alive, so
        // every request (and all it reaches) would outlive the next scavenge. See use-context-cache-release.ts.
        ids.delete(request)
      },
    },
  }
}
