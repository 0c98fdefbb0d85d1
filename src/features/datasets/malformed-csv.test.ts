import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends } from '../../../test/support/backends.ts'
import { openDatasetFixture, type DatasetFixture } from './dataset-test-fixture.ts'

const utf8 = (text: string) => new TextEncoder().encode(text)

/** Each upload must fail with BAD_CSV and a message that says what is wrong (and where, when there is a where). */
const MALFORMED: [string, string | Uint8Array, RegExp][] = [
  ['an empty file', '', /the file is empty/],
  ['a byte order mark only', '\uFEFF', /the file is empty/],
  ['blank lines only', '\n\r\n  \n', /the file is empty/],
  ['a row with too many fields', 'a,b\n1,2\n3,4,5\n', /^line 3: has 3 fields, the header has 2$/],
  ['a row with too few fields', 'a,b,c\n1,2,3\n4,5\n', /^line 3: has 2 fields, the header has 3$/],
  ['a trailing delimiter on data rows', 'a,b\n1,2,\n', /^line 2: has 3 fields, the header has 2$/],
  ['a footer line', 'a;b;c\n1;2;3\nTotal: 1\n', /^line 3: has 1 field, the header has 3$/],
  ['a comma row in a semicolon file', 'a;b;c\n1;2;3\n4,5,6\n', /^line 3: has 1 field/],
  ['an unclosed quote at the end', 'a,b\n1,"2\n', /^line 2: a quoted field is never closed/],
  ['an unclosed quote that swallows later rows', 'a,b\n1,"2\n3,4\n5,6\n', /^line 2: a quoted field is never closed/],
  ['text after a closing quote', 'a,b\n"1"x,2\n', /^line 2: unexpected 'x' after the closing quote of field 1$/],
  ['a stray quote inside a quoted field', 'a,b\n1,"say "hi" now"\n', /^line 2: unexpected 'h' after the closing quote of field 2$/],
  ['a quoted header with a stray quote', '"a"",b\n1,2\n', /never closed|after the closing quote/],
  ['JSON', '{"a":1,"b":2}\n', /^line 1: unexpected ':' after the closing quote/],
  ['an HTML error page', '<html>\n<body>Error, try again</body>\n</html>\n', /^line 2: has 2 fields, the header has 1$/],
  ['a NUL byte', 'a,b\n1,2\n3,\u0000\n', /^line 3: contains a NUL byte/],
  ['UTF-16 without a byte order mark', iconv.encode('a,b\n1,2\n', 'utf-16le'), /^line 1: contains a NUL byte/],
  ['a PNG image', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), /contains a NUL byte/],
  ['invalid UTF-8 after a UTF-8 start', new Uint8Array([...utf8(`a,b\n${'1,x\n'.repeat(20_000)}`), 0xff, 0x2c, 0x31, 0x0a]), /not valid UTF-8 at byte/],
  ['more columns than PostgreSQL allows', `${Array.from({ length: 1700 }, (_, i) => `c${i}`).join(',')}\n`, /^line 1: the header has 1700 columns, at most 1599/],
  ['a ragged row far into the file', `a,b\n${'1,2\n'.repeat(30_000)}3\n`, /^line 30002: has 1 field, the header has 2$/],
]

describe.each(backends())('malformed CSV on $name', (backend) => {
  let f: DatasetFixture
  beforeAll(async () => { f = await openDatasetFixture(backend) })
  afterAll(async () => { await f?.stop() })

  it.each(MALFORMED)('rejects %s with BAD_CSV and leaves nothing behind', async (_label, content, message) => {
    const error = await f.upload(content, { name: 'bad', chunkSize: 4096 }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'BAD_CSV', message: expect.stringMatching(message) })
    expect(await f.datasetTables()).toEqual([])
    expect(await f.database.db.selectFrom('phers.datasets').select('id').execute()).toEqual([])
  })

  it('rejects an upload over the size limit with PAYLOAD_TOO_LARGE', async () => {
    const small = await openDatasetFixture(backend, 1024)
    try {
      await expect(small.upload(`a\n${'1\n'.repeat(1000)}`)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' })
      expect(await small.datasetTables()).toEqual([])
    } finally {
      await small.stop()
    }
  })

  it.each([
    ['a single column', 'only\nx\ny\n', 2],
    ['a quote inside an unquoted field', 'size,item\n15" screen,tv\n', 1],
    ['Windows-1252 text', iconv.encode('name;city\nJosé;Málaga\n', 'windows-1252'), 1],
    ['a header-only file', 'a;b\n', 0],
    ['an Excel sep= line naming the delimiter', 'sep=;\na;b\n1,5;2\n', 1],
  ] as const)('accepts %s (documented)', async (_label, content, rowCount) => {
    const dataset = await f.upload(content, { name: 'accepted' })
    expect(dataset.rowCount).toBe(rowCount)
    await f.service.delete(dataset.id, { id: 'alice', name: 'alice', role: 'ANALYST', anonymous: false })
  })

  const spectrumDir = path.dirname(createRequire(import.meta.url).resolve('csv-spectrum/package.json'))
  it.each(readdirSync(path.join(spectrumDir, 'csvs')))('loads csv-spectrum %s with every value intact', async (file) => {
    const dataset = await f.upload(readFileSync(path.join(spectrumDir, 'csvs', file)), { name: file, chunkSize: 3 })
    const preview = await f.service.preview(dataset, 100)
    const expected = JSON.parse(readFileSync(path.join(spectrumDir, 'json', file.replace(/\.csv$/, '.json')), 'utf8')) as unknown
    expect(preview.rows).toHaveLength(Array.isArray(expected) ? expected.length : 1)
    const [columns] = await f.service.columns([dataset.id])
    const first = Array.isArray(expected) ? expected[0] : expected
    expect(columns!.map((c) => c.originalName)).toEqual(Object.keys(first as object))
    await f.service.delete(dataset.id, { id: 'alice', name: 'alice', role: 'ANALYST', anonymous: false })
  })
})
