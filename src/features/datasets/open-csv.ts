import { AppError } from '../../errors.ts'
import { createCsvRecordParser } from './csv-record-parser.ts'
import { decodeCsvText, type CsvEncoding, type DecodeOptions } from './decode-csv-text.ts'
import { detectDelimiter, type Delimiter } from './detect-delimiter.ts'

/** Records parsed from one decoded chunk; `escapes`: indexes of those that may need COPY escaping. */
export interface CsvBatch {
  records: string[][]
  escapes: number[]
}

export interface OpenCsv {
  headers: string[]
  delimiter: Delimiter
  encoding: CsvEncoding
  /** Data records in file order, in batches (one per decoded chunk); the header is not repeated. */
  batches: AsyncGenerator<CsvBatch>
}

/** Text gathered before choosing the delimiter. */
const SNIFF_CHARS = 64 * 1024

/**
 * Opens a CSV byte stream: decodes it, detects the delimiter from the first lines (or takes it from an
 * Excel `sep=` line) and reads the header,
 * leaving the data records to be pulled batch by batch. Fails with BAD_CSV for an empty file.
 */
export async function openCsv(
  source: AsyncIterable<Uint8Array>,
  options: DecodeOptions,
): Promise<OpenCsv> {
  let encoding: CsvEncoding = 'utf-8'
  const text = decodeCsvText(source, { ...options, onEncoding: (e) => { encoding = e; options.onEncoding?.(e) } })
  let sniff = ''
  let ended = false
  while (sniff.length < SNIFF_CHARS) {
    const next = await text.next()
    if (next.done) { ended = true; break }
    sniff += next.value
  }
  if (sniff.trim() === '') throw new AppError('BAD_CSV', 'the file is empty: expected a header line and data lines')
  // Excel writes `sep=;` as a first line to name the delimiter; honour it and drop the line.
  const directive = /^sep=([,;\t|])(\r\n|\n|\r)/.exec(sniff)
  if (directive) sniff = sniff.slice(directive[0].length)
  const delimiter = directive ? (directive[1] as Delimiter) : detectDelimiter(ended ? `${sniff}\n` : sniff)
  const parser = createCsvRecordParser({ delimiter })
  const feed = (chunk: string): CsvBatch => ({ records: parser.push(chunk), escapes: parser.escapes() })
  const finish = (): CsvBatch => ({ records: parser.end(), escapes: parser.escapes() })
  const both = (a: CsvBatch, b: CsvBatch): CsvBatch => ({
    records: [...a.records, ...b.records],
    escapes: [...a.escapes, ...b.escapes.map((i) => i + a.records.length)],
  })
  let pending = ended ? both(feed(sniff), finish()) : feed(sniff)
  while (pending.records.length === 0 && !ended) {
    const next = await text.next()
    if (next.done) { ended = true; pending = finish() } else pending = feed(next.value)
  }
  const [header, ...first] = pending.records
  if (!header) throw new AppError('BAD_CSV', 'the file is empty: expected a header line and data lines')

  async function* batches(): AsyncGenerator<CsvBatch> {
    // The header was record 0 of the first batch.
    if (first.length) yield { records: first, escapes: pending.escapes.filter((i) => i > 0).map((i) => i - 1) }
    if (ended) return
    for await (const chunk of text) {
      const batch = feed(chunk)
      if (batch.records.length) yield batch
    }
    const tail = finish()
    if (tail.records.length) yield tail
  }

  return { headers: header, delimiter, encoding, batches: batches() }
}
