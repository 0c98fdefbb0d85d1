import { Worker } from 'node:worker_threads'

export interface CsvLoadWorkers {
  /** An idle worker, or a new one, with a job number no other upload of this pool has. */
  acquire(): { worker: Worker; job: number }
  /** Back to the idle list when its upload ended cleanly (up to `maxIdle` are kept); otherwise ended. */
  release(worker: Worker, clean: boolean): void
  /** Ends every worker, idle or not. */
  stop(): Promise<void>
}

/**
 * The worker module runs TypeScript directly (no build step): a `.ts` entry registers tsx's loader inside the
 * worker first, the way `bin/phers.js` does for the main thread.
 */
function startWorker(): Worker {
  const entry = new URL('./csv-load-worker.ts', import.meta.url).href
  const boot = entry.endsWith('.ts')
    ? `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}) })`
    : `import(${JSON.stringify(entry)})`
  return new Worker(boot, { eval: true })
}

/**
 * CSV load workers kept between uploads: starting one (a thread, tsx's loader, compiling the parser) costs
 * a few hundred milliseconds, which a small upload would otherwise pay every time. Idle workers are unref'd,
 * so they never keep the process alive; `stop()` ends them.
 */
export function createCsvLoadWorkers({ maxIdle = 1 }: { maxIdle?: number } = {}): CsvLoadWorkers {
  const idle: Worker[] = []
  const all = new Set<Worker>()
  let jobs = 0

  function spawn(): Worker {
    const worker = startWorker()
    all.add(worker)
    worker.on('exit', () => {
      all.delete(worker)
      const at = idle.indexOf(worker)
      if (at >= 0) idle.splice(at, 1)
    })
    // An idle worker failing is noticed by the next upload through 'exit'; never an unhandled error here.
    worker.on('error', () => undefined)
    return worker
  }

  return {
    acquire() {
      const worker = idle.pop() ?? spawn()
      worker.ref()
      return { worker, job: ++jobs }
    },
    release(worker, clean) {
      if (!clean || idle.length >= maxIdle || !all.has(worker)) {
        void worker.terminate()
        return
      }
      worker.unref()
      idle.push(worker)
    },
    async stop() {
      idle.length = 0
      await Promise.all([...all].map((worker) => worker.terminate()))
    },
  }
}
