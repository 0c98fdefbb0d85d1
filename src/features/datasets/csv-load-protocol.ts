import type { CsvEncoding } from './decode-csv-text.ts'
import type { ColumnInference } from './dataset-types.ts'
import type { Delimiter } from './detect-delimiter.ts'

/**
 * Main thread → worker, each tagged with the upload (`job`) it belongs to: a reused worker drops what is left
 * of an earlier upload. `start` begins an upload; `bytes` (null: the end) and `copied` are credits of the two
 * bounded queues (upload bytes in, COPY text out), counted per pass so a late message of an abandoned pass
 * changes nothing; `encode` starts the first load with the table's types, `reencode` reads the whole upload
 * again, sent anew as `bytes` of that pass (pass 0 is the upload itself).
 */
export type ToCsvLoadWorker = { job: number } & (
  | { kind: 'start'; maxBytes: number }
  | { kind: 'bytes'; pass: number; bytes: Uint8Array | null }
  | { kind: 'encode'; pass: number; types: ColumnInference[] }
  | { kind: 'reencode'; pass: number; types: ColumnInference[] }
  | { kind: 'copied'; pass: number }
  | { kind: 'stop-copy'; pass: number }
)

export interface SerializedError {
  name: string
  message: string
  /** Set for an AppError: rebuilt as one on the main thread (same code, message and extensions). */
  code?: string
  extensions?: Record<string, unknown>
}

/** Worker → main thread, in this order per job: opened, guessed, copy…, rows…, done; then copy… per reencode. */
export type FromCsvLoadWorker = { job: number } & (
  | { kind: 'pulled' }
  | { kind: 'opened'; headers: string[]; delimiter: Delimiter; encoding: CsvEncoding }
  | { kind: 'guessed'; inferences: ColumnInference[] }
  /**
   * One chunk of COPY text, UTF-8 encoded, of pass `pass` (each encode/reencode is a pass); `bytes: null` ends the
   * pass. Its buffer is transferred, not copied, and the main thread writes it to the connection as it is.
   */
  | { kind: 'copy'; pass: number; bytes: Uint8Array | null; rowsRead: number }
  /** Progress while no COPY takes the records (the rest of the file after a divergence). */
  | { kind: 'rows'; rowsRead: number }
  | { kind: 'done'; inferences: ColumnInference[]; rowCount: number; diverged: boolean }
  | { kind: 'failed'; error: SerializedError }
)

