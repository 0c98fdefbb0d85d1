import type { Client } from 'graphql-ws'

/** Test-only helpers for subscriptions through a real graphql-ws client. */
/** Collects a subscription's payloads until `until` is satisfied or the deadline passes. */
export function collect<T>(client: Client, query: string, until: (items: T[]) => boolean, timeoutMs = 15_000): Promise<T[]> {
  const items: T[] = []
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      dispose()
      reject(new Error(`timed out with ${items.length} items: ${JSON.stringify(items).slice(0, 500)}`))
    }, timeoutMs)
    const dispose = client.subscribe<T>({ query }, {
      next: (message) => {
        if (message.errors) return reject(new Error(JSON.stringify(message.errors)))
        items.push(message.data as T)
        if (until(items)) {
          clearTimeout(timer)
          dispose()
          resolve(items)
        }
      },
      error: reject,
      complete: () => undefined,
    })
  })
}

/** Polls `check` every 100 ms until it holds or the deadline passes. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 100))
  }
}
