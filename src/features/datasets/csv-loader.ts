import { AppError, type ErrorCode } from '../../errors.ts'
import type { FromCsvLoadWorker, SerializedError, ToCsvLoadWorker } from './csv-load-protocol.ts'
import type { CsvLoadWorkers } from './csv-load-workers.ts'
import { createCsvSpool, readSpool, type CsvSpool } from './csv-spool.ts'
import type { ColumnInference } from './dataset-types.ts'
import type { CsvEncoding } from './decode-csv-text.ts'
import type { Delimiter } from './detect-delimiter.ts'
import { createMessageMailbox } from './message-mailbox.ts'

export interface CsvLoaderOptions {
  /** The upload's bytes. */
  source: AsyncIterable<Uint8Array>
  /**
   * The same bytes again from the start, when the source can be read twice (graphql-upload's buffered file, a
   * file on disk): a redo reads them from here. Without it the upload is spooled while it is read.
   */
  reread?: () => AsyncIterable<Uint8Array>
  maxBytes: number
  /** Parent of the private spool folder (created here, deleted by `stop`), where the raw upload is kept for a redo without `reread`. */
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
  /** After `finished()`: the whole upload again (re-read, or from the spool) as COPY text for `types`. */
  reencoded(types: ColumnInference[]): AsyncIterable<Uint8Array>
  /** Ends the worker and deletes the spool, if any. */
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
  const spool = options.reread ? null : await createCsvSpool(options.spoolDir)
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
  /**
   * The coalesced buffers are this loader's own (Buffer.concat gives a large one its own ArrayBuffer): moved to
   * the worker rather than copied twice (serialized here, deserialized there). A buffer that shares its memory
   * (a small one from Node's pool) is copied.
   */
  const sendBytes = (pass: number, bytes: Uint8Array | null) => {
    const own = bytes !== null && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
    worker.postMessage({ job, kind: 'bytes', pass, bytes } satisfies ToCsvLoadWorker, own ? [bytes.buffer as ArrayBuffer] : [])
  }
  send({ job, kind: 'start', maxBytes: options.maxBytes })
  /** The worker's next message of `kind`, or its failure, whichever comes first. */
  const next = <K extends FromCsvLoadWorker['kind']>(kind: K) =>
    Promise.race([mailbox.take(kind), failed]) as Promise<Extract<FromCsvLoadWorker, { kind: K }>>
  /** Feeds `source` to the worker as the bytes of `pass` until it ends or `cancelled()`. */
  const feedPass = (pass: number, source: AsyncIterable<Uint8Array>, cancelled: () => boolean, onChunk?: (chunk: Uint8Array) => Promise<void>) =>
    feed(source, (bytes) => sendBytes(pass, bytes), () => room.take(() => failure !== null || cancelled()), onChunk).catch(fail)
  void feedPass(0, counted(options.source, options.onBytes), () => false, spool ? (bytes) => spool.write(bytes) : undefined)

  let passes = 0
  let finished = false
  async function* copies(kind: 'encode' | 'reencode', types: ColumnInference[]): AsyncGenerator<Uint8Array> {
    const pass = ++passes
    send({ job, kind, pass, types })
    // A replay reads the upload again: from its source when it can be re-read, else from the spool.
    let abandoned = false
    if (kind === 'reencode') void feedPass(pass, options.reread?.() ?? readSpool(spool!.file), () => abandoned)
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
      abandoned = true
      room.release()
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
    await spool?.stop()
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

/** `source` with the running byte count reported as each chunk arrives. */
async function* counted(source: AsyncIterable<Uint8Array>, onBytes?: (bytesRead: number) => void): AsyncGenerator<Uint8Array> {
  let total = 0
  for await (const chunk of source) {
    total += chunk.length
    onBytes?.(total)
    yield chunk
  }
}

/**
 * Bytes → worker, coalesced into CHUNK_BYTES messages, each waiting for room in the worker's queue; `onChunk`
 * sees each message's bytes before it is sent (the spool).
 */
async function feed(
  source: AsyncIterable<Uint8Array>, send: (bytes: Uint8Array | null) => void, room: () => Promise<boolean>, onChunk?: (bytes: Uint8Array) => Promise<void>,
): Promise<void> {
  let parts: Uint8Array[] = []
  let size = 0
  const flush = async () => {
    if (!(await room())) return false
    // Always a copy, even of a single part: the source's buffers are not ours to move to the worker.
    const bytes = Buffer.concat(parts, size)
    await onChunk?.(bytes)
    send(bytes)
    parts = []
    size = 0
    return true
  }
  for await (const chunk of source) {
    parts.push(chunk)
    size += chunk.length
    // Leaving the loop (the worker failed, the pass was abandoned) closes the stream.
    if (size >= CHUNK_BYTES && !(await flush())) return
  }
  if (size > 0 && !(await flush())) return
  send(null)
}
