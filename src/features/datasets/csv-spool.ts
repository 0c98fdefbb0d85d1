import { createReadStream } from 'node:fs'
import { mkdtemp, open, rm } from 'node:fs/promises'
import path from 'node:path'

/** The upload's raw bytes kept on disk, so a load can be redone without holding the file in memory. */
export interface CsvSpool {
  /** The spool file: read back (by the CSV worker) once every write has completed. */
  file: string
  /** Appends bytes; resolves once they are written. */
  write(bytes: Uint8Array): Promise<void>
  /** Deletes the spool file. */
  stop(): Promise<void>
}

/**
 * A spool in a fresh private directory under `dir` (mkdtemp: mode 0700). Raw bytes rather than decoded text:
 * nothing is re-encoded on the way in, and a replay decodes them with the encoding chosen the first time.
 */
export async function createCsvSpool(dir: string): Promise<CsvSpool> {
  const folder = await mkdtemp(path.join(dir, 'phers-ingest-'))
  const file = path.join(folder, 'upload.csv')
  const handle = await open(file, 'w', 0o600)
  let closed = false
  return {
    file,
    async write(bytes) {
      await handle.write(bytes)
    },
    async stop() {
      if (closed) return
      closed = true
      await handle.close().catch(() => undefined)
      await rm(folder, { recursive: true, force: true })
    },
  }
}

/** The spooled bytes from the start, in large reads. */
export const readSpool = (file: string) => createReadStream(file, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Uint8Array>
