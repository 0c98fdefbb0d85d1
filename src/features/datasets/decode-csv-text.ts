import iconv from 'iconv-lite'
import { AppError } from '../../errors.ts'

export type CsvEncoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be'

export interface DecodeOptions {
  /** Upload size limit in bytes; exceeding it fails with PAYLOAD_TOO_LARGE. */
  maxBytes: number
  /** Bytes inspected before the encoding is chosen. Default 64 KiB. */
  sniffBytes?: number
  /** Skips the sniffing: decode as this (a replay of bytes whose encoding was chosen before). */
  encoding?: CsvEncoding
  onEncoding?: (encoding: CsvEncoding) => void
  onBytes?: (bytesRead: number) => void
  signal?: AbortSignal
}

/**
 * Most text handed on, in characters of at most this many bytes. Strings over V8's regular object size (128 KiB;
 * two bytes per character for text beyond Latin-1) go to the large-object space, and allocating them there
 * measured ~30× slower than decoding the same bytes in smaller slices; each chunk's records and COPY text stay
 * small with them.
 */
const MAX_TEXT_BYTES = 60 * 1024

interface TextDecoderLike {
  decode(bytes: Uint8Array, final: boolean): string
}

/**
 * Decision: the encoding is chosen once, from the first `sniffBytes`. UTF-16 with a BOM is transcoded; text
 * that is valid UTF-8 there is read as UTF-8 to the end, and an invalid byte found later fails with BAD_CSV
 * (guessing again mid-file could silently mix two encodings in one table); text that is not valid UTF-8 in
 * the window is read as Windows-1252 (a superset of printable Latin-1, what spreadsheet exports use).
 */
function chooseEncoding(head: Uint8Array): CsvEncoding {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le'
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be'
  return isUtf8Prefix(head) ? 'utf-8' : 'windows-1252'
}

/** Valid UTF-8, allowing the window to end inside a multi-byte character. */
function isUtf8Prefix(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true })
    return true
  } catch {
    return false
  }
}

function decoderFor(encoding: CsvEncoding): TextDecoderLike {
  if (encoding === 'utf-8') {
    const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })
    return { decode: (bytes, final) => utf8.decode(bytes, { stream: !final }) }
  }
  const legacy = iconv.getDecoder(encoding)
  return { decode: (bytes, final) => (bytes.length ? legacy.write(Buffer.from(bytes)) : '') + (final ? (legacy.end() ?? '') : '') }
}

/**
 * Bytes → text chunks: BOM removed, encoding chosen from the head (see `chooseEncoding`). NUL characters pass
 * through: the record parser rejects them, since it knows their line. Never holds more than the sniff window
 * plus one chunk.
 */
export async function* decodeCsvText(source: AsyncIterable<Uint8Array>, options: DecodeOptions): AsyncGenerator<string> {
  const sniffBytes = options.encoding ? 0 : (options.sniffBytes ?? 64 * 1024)
  let pending: Uint8Array[] = []
  let pendingBytes = 0
  let total = 0
  let decoder: TextDecoderLike | null = null
  let encoding: CsvEncoding = 'utf-8'
  let first = true

  // Bytes decoded before the slice being decoded: the base of an invalid byte's offset.
  let decoded = 0
  const decode = (bytes: Uint8Array, final: boolean): string => {
    let text: string
    try {
      text = decoder!.decode(bytes, final)
    } catch {
      const at = decoded + firstInvalidUtf8(bytes)
      throw new AppError('BAD_CSV', `the file is not valid UTF-8 at byte ${at} (the start was UTF-8); save it as UTF-8 and upload again`, { byte: at })
    }
    decoded += bytes.length
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    if (text.length > 0) first = false
    return text
  }
  /** `bytes` as text in slices of at most MAX_TEXT_BYTES (see there); a stream decoder joins what a cut splits. */
  function* emit(bytes: Uint8Array, final: boolean): Generator<string> {
    for (let at = 0; at < bytes.length || (at === 0 && final); at += MAX_TEXT_BYTES) {
      const end = Math.min(at + MAX_TEXT_BYTES, bytes.length)
      const text = decode(bytes.subarray(at, end), final && end === bytes.length)
      if (text) yield text
    }
  }
  const start = () => {
    const head = concat(pending, pendingBytes)
    // Exactly the window, however the upload was chunked: a bigger first chunk must not change the choice.
    encoding = options.encoding ?? chooseEncoding(head.subarray(0, sniffBytes))
    options.onEncoding?.(encoding)
    decoder = decoderFor(encoding)
    pending = []
    return head
  }

  for await (const chunk of source) {
    options.signal?.throwIfAborted()
    total += chunk.length
    if (total > options.maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `the file is larger than the ${options.maxBytes}-byte upload limit`)
    options.onBytes?.(total)
    if (decoder) {
      yield* emit(chunk, false)
      continue
    }
    pending.push(chunk)
    pendingBytes += chunk.length
    if (pendingBytes >= sniffBytes) yield* emit(start(), false)
  }
  yield* emit(decoder ? new Uint8Array(0) : start(), true)
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0]!
  const out = new Uint8Array(size)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/** Offset of the first byte that breaks UTF-8 in `bytes` (only called once decoding has failed). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let low = 0
  let high = bytes.length
  // The longest valid prefix, by bisection: decoding a prefix fails iff it contains the bad byte.
  while (low < high) {
    const mid = (low + high + 1) >> 1
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true })
      low = mid
    } catch {
      high = mid - 1
    }
  }
  return low
}
