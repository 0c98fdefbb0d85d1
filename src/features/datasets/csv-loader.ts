import { AppError, type ErrorCode } from '../../errors.ts'
import type { FromCsvLoadWorker, SerializedError, ToCsvLoadWorker } from './csv-load-protocol.ts'
import type { CsvLoadWorkers } from './csv-load-workers.ts'
import { createCsvSpool, type CsvSpool } from './csv-spool.ts'
import type { ColumnInference } from './dataset-types.ts'
import type { CsvEncoding } from './decode-csv-text.ts'
import type { Delimiter } from './detect-delimiter.ts'
import { createMessageMailbox } from './message-mailbox.ts'

export interface CsvLoaderOptions {
  /** The upload's bytes, read once. */
  source: AsyncIterable<Uint8Array>
  maxBytes: number
  /** Parent of the private spool folder (created here, deleted by `stop`), where the raw upload is kept for a redo. */
  spoolDir: string
  /** Where the worker comes from (and goes back to when the upload ended cleanly). */
  workers: CsvLoadWorkers
  signal?: AbortSignal
  onBytes?: (bytesRead: number) => void
  onRows?: (rowsRead: number) => void
}

/** An upload being parsed and inferred in a worker thread; COPY text comes out in file order. */
export interface CsvLoader {
  headers: string[]
  delimiter: Delimiter
  encoding: CsvEncoding
  /** Inference after the first batch of records: the types the table is first created with. */
  guessed(): Promise<ColumnInference[]>
  /**
   * COPY text (with `_row`) encoded for `types`, from the first record, for as long as every column still
   * reads as `types`. Abandoning it early (a failed COPY) lets the worker go on reading the rest.
   */
  copyText(types: ColumnInference[]): AsyncIterable<Uint8Array>
  /** After the whole upload was read: the final inference, the row count, and whether `copyText` stopped short. */
  finished(): Promise<{ inferences: ColumnInference[]; rowCount: number; diverged: boolean }>
  /** The whole upload again (from the spool) as COPY text for `types`. */
  reencoded(types: ColumnInference[]): AsyncIterable<Uint8Array>
  /** Ends the worker and deletes the spool. */
  stop(): Promise<void>
}

/** Coalesced upload chunks per message, and how many may wait in the worker's queue. */
const CHUNK_BYTES = 256 * 1024
const MAX_CHUNKS_AHEAD = 4

function revive(error: SerializedError): Error {
  if (error.code) {
    const { code: _code, http: _http, ...details } = error.extensions ?? {}
    return new AppError(error.code as ErrorCode, error.message, details)
  }
  return Object.assign(new Error(error.message), { name: error.name })
}

/** Starts the worker, feeds it the upload and resolves once the header was read (BAD_CSV for an empty file). */
export async function openCsvLoader(options: CsvLoaderOptions): Promise<CsvLoader> {
  const spool = await createCsvSpool(options.spoolDir)
  const { worker, job } = options.workers.acquire()
  const mailbox = createMessageMailbox<FromCsvLoadWorker>()
  const room = createCredit(MAX_CHUNKS_AHEAD)
  let failure: Error | null = null
  let rejectFailed: (error: Error) => void = () => {}
  const failed = new Promise<never>((_, reject) => (rejectFailed = reject))
  failed.catch(() => undefined)
  const fail = (error: Error) => {
    failure ??= error
    rejectFailed(failure)
    room.release()
  }
  const onAbort = () => fail(options.signal!.reason as Error)
  const onMessage = (message: FromCsvLoadWorker) => {
    // A reused worker may still deliver the tail of an earlier upload.
    if (message.job !== job) return
    if (message.kind === 'failed') fail(revive(message.error))
    else if (message.kind === 'pulled') room.give()
    else if (message.kind === 'rows') options.onRows?.(message.rowsRead)
    else mailbox.put(message)
  }
  const onExit = (code: number) => fail(new Error(`the CSV worker exited (code ${code})`))
  worker.on('message', onMessage)
  worker.on('error', fail)
  worker.on('exit', onExit)
  options.signal?.addEventListener('abort', onAbort, { once: true })
  const send = (message: ToCsvLoadWorker) => worker.postMessage(message)
  send({ job, kind: 'start', maxBytes: options.maxBytes, spoolFile: spool.file })
  /** The worker's next message of `kind`, or its failure, whichever comes first. */
  const next = <K extends FromCsvLoadWorker['kind']>(kind: K) =>
    Promise.race([mailbox.take(kind), failed]) as Promise<Extract<FromCsvLoadWorker, { kind: K }>>
  feed(options, spool, (bytes) => send({ job, kind: 'bytes', bytes }), () => room.take(() => failure !== null)).catch(fail)

  let passes = 0
  let finished = false
  async function* copies(kind: 'encode' | 'reencode', types: ColumnInference[]): AsyncGenerator<Uint8Array> {
    const pass = ++passes
    send({ job, kind, pass, types })
    let ended = false
    try {
      for (;;) {
        const message = await next('copy')
        // Chunks of an abandoned earlier pass may still be queued: they are not this COPY's.
        if (message.pass !== pass) continue
        options.signal?.throwIfAborted()
        options.onRows?.(message.rowsRead)
        if (message.bytes === null) { ended = true; return }
        yield message.bytes
        send({ job, kind: 'copied', pass })
      }
    } finally {
      if (!ended) send({ job, kind: 'stop-copy', pass })
    }
  }

  const stop = async () => {
    options.signal?.removeEventListener('abort', onAbort)
    worker.off('message', onMessage)
    worker.off('error', fail)
    worker.off('exit', onExit)
    // Reusable only if this upload ran to its end: then the worker waits idle for a `start`.
    const clean = failure === null && finished
    fail(new Error('the CSV loader was stopped'))
    options.workers.release(worker, clean)
    await spool.stop()
  }
  try {
    const opened = await next('opened')
    return {
      headers: opened.headers,
      delimiter: opened.delimiter,
      encoding: opened.encoding,
      guessed: async () => (await next('guessed')).inferences,
      copyText: (types) => copies('encode', types),
      finished: async () => {
        const done = await next('done')
        finished = true
        return { inferences: done.inferences, rowCount: done.rowCount, diverged: done.diverged }
      },
      reencoded: (types) => copies('reencode', types),
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}

/** A counting semaphore whose waiters can all be let go at once (on failure). */
function createCredit(initial: number) {
  let credit = initial
  let wake: (() => void) | null = null
  const release = () => {
    wake?.()
    wake = null
  }
  return {
    give() {
      credit++
      release()
    },
    release,
    /** Waits for a credit and takes it; false when `cancelled()` became true meanwhile. */
    async take(cancelled: () => boolean): Promise<boolean> {
      while (credit === 0 && !cancelled()) await new Promise<void>((resolve) => (wake = resolve))
      if (cancelled()) return false
      credit--
      return true
    },
  }
}

/** Upload → spool and worker, coalesced into CHUNK_BYTES messages, each waiting for room in the worker's queue. */
async function feed(options: CsvLoaderOptions, spool: CsvSpool, send: (bytes: Uint8Array | null) => void, room: () => Promise<boolean>): Promise<void> {
  let parts: Uint8Array[] = []
  let size = 0
  let total = 0
  const flush = async () => {
    if (!(await room())) return false
    const bytes = Buffer.concat(parts, size)
    await spool.write(bytes)
    send(bytes)
    parts = []
    size = 0
    return true
  }
  for await (const chunk of options.source) {
    parts.push(chunk)
    size += chunk.length
    total += chunk.length
    options.onBytes?.(total)
    // Leaving the loop (the worker failed) closes the upload stream.
    if (size >= CHUNK_BYTES && !(await flush())) return
  }
  if (size > 0 && !(await flush())) return
  send(null)
}
