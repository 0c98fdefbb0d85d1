/** Concurrent calls with one key share one execution; the key is free again once it settles. */
export interface SingleFlight<T> {
  /** `joined` is true for callers that attached to an execution someone else started. */
  run(key: string, fn: () => Promise<T>): Promise<{ value: T; joined: boolean }>
  has(key: string): boolean
  size(): number
}

export function createSingleFlight<T>(): SingleFlight<T> {
  const inFlight = new Map<string, Promise<T>>()
  return {
    async run(key, fn) {
      const running = inFlight.get(key)
      if (running) return { value: await running, joined: true }
      const started = fn().finally(() => inFlight.delete(key))
      inFlight.set(key, started)
      return { value: await started, joined: false }
    },
    has: (key) => inFlight.has(key),
    size: () => inFlight.size,
  }
}
