/** Runs tasks one after another; a failed task does not stop the ones queued behind it. */
export interface SerialQueue {
  run<T>(task: () => Promise<T>): Promise<T>
  /** Resolves when everything queued so far has finished. */
  idle(): Promise<void>
}

export function createSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve()
  return {
    run(task) {
      const result = tail.then(task, task)
      tail = result.catch(() => undefined)
      return result
    },
    idle: () => tail.then(() => undefined),
  }
}
