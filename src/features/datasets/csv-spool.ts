import { createReadStream } from 'node:fs'
import { mkdtemp, open, rm } from 'node:fs/promises'
import path from 'node:path'

/** The decoded upload kept on disk, so a load can be redone without holding the file in memory. */
export interface CsvSpool {
  /** Appends text; resolves once the previous write finished, so one write is always in flight. */
  write(text: string): Promise<void>
  /** The spooled text from the start (after all writes completed). */
  chunks(): Promise<AsyncIterable<string>>
  /** Deletes the spool file. */
  stop(): Promise<void>
}

/** A spool in a fresh private directory under `dir` (mkdtemp: mode 0700). */
export async function createCsvSpool(dir: string): Promise<CsvSpool> {
  const folder = await mkdtemp(path.join(dir, 'phers-ingest-'))
  const file = path.join(folder, 'upload.csv')
  const handle = await open(file, 'w', 0o600)
  let pending: Promise<unknown> = Promise.resolve()
  return {
    write(text) {
      const previous = pending
      pending = previous.then(() => handle.write(text))
      return previous.then(() => undefined)
    },
    async chunks() {
      await pending
      return createReadStream(file, { encoding: 'utf8', highWaterMark: 1024 * 1024 })
    },
    async stop() {
      await pending.catch(() => undefined)
      await handle.close().catch(() => undefined)
      await rm(folder, { recursive: true, force: true })
    },
  }
}
