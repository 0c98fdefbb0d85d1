import { AppError } from '../../errors.ts'
import { createCsvRecordParser } from './csv-record-parser.ts'
import { decodeCsvText, type CsvEncoding, type DecodeOptions } from './decode-csv-text.ts'
import { detectDelimiter, type Delimiter } from './detect-delimiter.ts'

export interface OpenCsv {
  headers: string[]
  delimiter: Delimiter
  encoding: CsvEncoding
  /** Data records in file order, in batches (one per decoded chunk); the header is not repeated. */
  batches: AsyncGenerator<string[][]>
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
  const feed = (chunk: string) => parser.push(chunk)
  let pending = ended ? [...feed(sniff), ...parser.end()] : feed(sniff)
  while (pending.length === 0 && !ended) {
    const next = await text.next()
    if (next.done) { ended = true; pending = parser.end() } else pending = feed(next.value)
  }
  const [header, ...first] = pending
  if (!header) throw new AppError('BAD_CSV', 'the file is empty: expected a header line and data lines')

  async function* batches(): AsyncGenerator<string[][]> {
    if (first.length) yield first
    if (ended) return
    for await (const chunk of text) {
      const records = feed(chunk)
      if (records.length) yield records
    }
    const tail = parser.end()
    if (tail.length) yield tail
  }

  return { headers: header, delimiter, encoding, batches: batches() }
}
