/**
 * Messages sorted by kind, each awaited by kind: `take('encode')` resolves with the next `encode` message
 * whether it came before or after the call. Lets a worker be written as straight-line async code.
 */
export function createMessageMailbox<M extends { kind: string }>() {
  const queued = new Map<string, M[]>()
  const waiting = new Map<string, ((message: M) => void)[]>()

  function put(message: M): void {
    const waiter = waiting.get(message.kind)?.shift()
    if (waiter) return waiter(message)
    const list = queued.get(message.kind) ?? []
    list.push(message)
    queued.set(message.kind, list)
  }

  function take<K extends M['kind']>(kind: K): Promise<Extract<M, { kind: K }>> {
    const next = queued.get(kind)?.shift()
    if (next) return Promise.resolve(next as Extract<M, { kind: K }>)
    return new Promise((resolve) => {
      const list = waiting.get(kind) ?? []
      list.push(resolve as (message: M) => void)
      waiting.set(kind, list)
    })
  }

  return { put, take }
}
