import { parentPort } from 'node:worker_threads'
import { isAppError } from '../../errors.ts'
import { copyEncoders, copyRows } from './copy-rows.ts'
import type { FromCsvLoadWorker, SerializedError, ToCsvLoadWorker } from './csv-load-protocol.ts'
import type { ColumnInference } from './dataset-types.ts'
import type { CsvEncoding } from './decode-csv-text.ts'
import { createColumnInference } from './infer-column-type.ts'
import { createMessageMailbox } from './message-mailbox.ts'
import { openCsv, type CsvBatch } from './open-csv.ts'

/**
 * The CPU half of an upload, off the main thread: decode, parse, infer every cell, encode COPY text. The main
 * thread only moves bytes in and COPY text out, so parsing overlaps with PostgreSQL's COPY. Both directions are
 * credit-bounded (MAX_COPY_AHEAD here, the upload queue on the main side), so memory stays flat whatever the
 * file size. One upload (job) at a time; a `start` for the next one abandons whatever is left of the last.
 */
const port = parentPort!
/** COPY chunks sent but not yet written by the main thread. */
const MAX_COPY_AHEAD = 4

type Start = Extract<ToCsvLoadWorker, { kind: 'start' }>
let current: ReturnType<typeof createJob> | null = null

port.on('message', (message: ToCsvLoadWorker) => {
  if (message.kind === 'start') {
    current?.abandon()
    current = createJob(message)
    return
  }
  if (message.job === current?.job) current.receive(message)
})

function createJob({ job, maxBytes }: Start) {
  const mailbox = createMessageMailbox<ToCsvLoadWorker>()
  const copy = { pass: 0, credit: 0, stopped: false, wake: null as (() => void) | null }
  let abandoned = false
  const utf8 = new TextEncoder()
  const post = (message: FromCsvLoadWorker) => {
    if (!abandoned) port.postMessage(message)
  }

  function receive(message: ToCsvLoadWorker): void {
    if (message.kind !== 'copied' && message.kind !== 'stop-copy') return mailbox.put(message)
    if (message.pass !== copy.pass) return
    if (message.kind === 'copied') copy.credit++
    else copy.stopped = true
    copy.wake?.()
    copy.wake = null
  }

  /**
   * The bytes of pass `pass` (0: the upload) as the main thread sends them; each one taken is acknowledged so
   * the next may come. Leftovers of an abandoned replay are acknowledged and dropped.
   */
  async function* uploadBytes(pass: number): AsyncGenerator<Uint8Array> {
    for (;;) {
      const message = await mailbox.take('bytes')
      if (message.pass === pass && message.bytes === null) return
      if (message.bytes !== null) post({ job, kind: 'pulled' })
      if (message.pass === pass) yield message.bytes!
    }
  }

  function startPass(pass: number): void {
    Object.assign(copy, { pass, credit: MAX_COPY_AHEAD, stopped: false })
  }

  /** Sends COPY text once the main thread has room; false when the main thread abandoned this pass. */
  async function sendCopy(text: string, rowsRead: number): Promise<boolean> {
    while (copy.credit === 0 && !copy.stopped && !abandoned) await new Promise<void>((resolve) => (copy.wake = resolve))
    if (copy.stopped || abandoned) return false
    copy.credit--
    // Encoded here, off the main thread, into a buffer of its own (TextEncoder's), so it can be transferred.
    const bytes = utf8.encode(text)
    if (!abandoned) port.postMessage({ job, kind: 'copy', pass: copy.pass, bytes, rowsRead } satisfies FromCsvLoadWorker, [bytes.buffer])
    return true
  }

  const endPass = (rowsRead: number) => post({ job, kind: 'copy', pass: copy.pass, bytes: null, rowsRead })

  const sameReading = (a: ColumnInference, b: ColumnInference) => a.type === b.type && (a.type === 'boolean' || a.format === b.format)

  async function run(): Promise<void> {
    const csv = await openCsv(uploadBytes(0), { maxBytes })
    post({ job, kind: 'opened', headers: csv.headers, delimiter: csv.delimiter, encoding: csv.encoding })
    const inferences = csv.headers.map(() => createColumnInference())
    const current = () => inferences.map((i) => i.result().inference)
    let rowsRead = 0
    const observe = ({ records }: CsvBatch) => {
      for (const record of records) for (let i = 0; i < record.length; i++) inferences[i]!.observe(record[i]!)
      rowsRead += records.length
    }

    const first = await csv.batches.next()
    if (!first.done) observe(first.value)
    post({ job, kind: 'guessed', inferences: current() })
    const { types, pass } = await mailbox.take('encode')
    startPass(pass)
    const encoders = copyEncoders(types)
    let copying = first.done || (await sendCopy(copyRows(first.value, encoders, 1), rowsRead))
    let diverged = false
    for (let next = await csv.batches.next(); !next.done && !abandoned; next = await csv.batches.next()) {
      const from = rowsRead + 1
      observe(next.value)
      // A batch goes to COPY only while every column still reads the way the table was created.
      if (copying && current().every((c, i) => sameReading(c, types[i]!))) {
        copying = await sendCopy(copyRows(next.value, encoders, from), rowsRead)
        continue
      }
      // Stopped by divergence (not by the main thread abandoning the COPY): the load must be redone.
      if (copying) diverged = true
      copying = false
      post({ job, kind: 'rows', rowsRead })
    }
    endPass(rowsRead)
    const final = current()
    diverged ||= final.some((c, i) => !sameReading(c, types[i]!))
    post({ job, kind: 'done', inferences: final, rowCount: rowsRead, diverged })
    while (!abandoned) {
      const redo = await mailbox.take('reencode')
      await replay(csv.encoding, redo.types, redo.pass)
    }
  }

  /**
   * The whole upload again (re-read by the main thread) as COPY text, encoded with `types` (a redo after the
   * types changed): the same bytes decoded the same way and parsed by the same code, so it yields exactly the
   * records read first.
   */
  async function replay(encoding: CsvEncoding, types: ColumnInference[], pass: number): Promise<void> {
    startPass(pass)
    const encoders = copyEncoders(types)
    const csv = await openCsv(uploadBytes(pass), { maxBytes: Number.MAX_SAFE_INTEGER, encoding })
    let rows = 0
    for await (const batch of csv.batches) {
      if (!(await sendCopy(copyRows(batch, encoders, rows + 1), rows + batch.records.length))) return
      rows += batch.records.length
    }
    endPass(rows)
  }

  run().catch((error: unknown) => post({ job, kind: 'failed', error: serialize(error) }))
  return {
    job,
    receive,
    /** A newer upload took the worker: stop sending, let pending waits lapse. */
    abandon() {
      abandoned = true
      copy.wake?.()
    },
  }
}

function serialize(error: unknown): SerializedError {
  if (isAppError(error)) return { name: error.name, message: error.message, code: error.code, extensions: { ...error.extensions } }
  const e = error instanceof Error ? error : new Error(String(error))
  return { name: e.name, message: e.message }
}
