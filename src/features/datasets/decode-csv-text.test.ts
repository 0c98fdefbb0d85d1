import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { decodeCsvText, type CsvEncoding } from './decode-csv-text.ts'

async function* pieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}

async function decode(bytes: Uint8Array, { size = 3, sniffBytes = 16, maxBytes = 1 << 20 } = {}) {
  let encoding: CsvEncoding | null = null
  let text = ''
  for await (const chunk of decodeCsvText(pieces(bytes, size), { maxBytes, sniffBytes, onEncoding: (e) => (encoding = e) })) text += chunk
  return { text, encoding }
}

const utf8 = (text: string) => new TextEncoder().encode(text)

describe('decodeCsvText', () => {
  it('strips a UTF-8 byte order mark and keeps multi-byte characters split across chunks', async () => {
    expect(await decode(utf8('\uFEFFname\nZoë 価格\n'), { size: 1 })).toEqual({ text: 'name\nZoë 価格\n', encoding: 'utf-8' })
  })

  it('transcodes Windows-1252 when the head is not UTF-8', async () => {
    const bytes = iconv.encode('name;price\nCafé;5 €\n', 'windows-1252')
    expect(await decode(bytes)).toEqual({ text: 'name;price\nCafé;5 €\n', encoding: 'windows-1252' })
  })

  it.each([['utf-16le'], ['utf-16be']] as const)('transcodes %s with a byte order mark', async (encoding) => {
    const bytes = iconv.encode('a,b\nä,1\n', encoding, { addBOM: true })
    expect(await decode(bytes)).toEqual({ text: 'a,b\nä,1\n', encoding })
  })

  it('rejects invalid UTF-8 found after a UTF-8 head, instead of mixing encodings', async () => {
    const bytes = new Uint8Array([...utf8('name\nplain ascii line\nmore\n'), 0xe9, 0x0a])
    await expect(decode(bytes, { sniffBytes: 8 })).rejects.toMatchObject({ code: 'BAD_CSV', message: expect.stringContaining('not valid UTF-8') })
  })

  it('names the byte offset of the first invalid UTF-8 byte', async () => {
    const bytes = new Uint8Array([...utf8('name\nplain ascii line\n'), 0xc3, 0x28, 0x0a])
    await expect(decode(bytes, { sniffBytes: 8, size: 10 })).rejects.toMatchObject({ message: expect.stringContaining('at byte 23 ') })
  })

  it('stops at the upload limit', async () => {
    await expect(decode(utf8('a\n'.repeat(100)), { maxBytes: 50 })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' })
  })
})
