import { tmpdir } from 'node:os'
import { afterAll, describe, expect, it } from 'vitest'
import { openCsvLoader } from './csv-loader.ts'
import { createCsvLoadWorkers } from './csv-load-workers.ts'

const workers = createCsvLoadWorkers()
afterAll(() => workers.stop())

async function* bytesOf(text: string, size = 5): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text)
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}

const open = (text: string, signal?: AbortSignal) => openCsvLoader({ source: bytesOf(text), maxBytes: 1 << 20, spoolDir: tmpdir(), workers, signal })

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = []
  for await (const chunk of chunks) parts.push(chunk)
  return Buffer.concat(parts).toString('utf8')
}

describe('openCsvLoader', () => {
  it('streams COPY text for the guessed types, then reports the final inference and row count', async () => {
    const loader = await open('id,note\n1,a\\b\n2,\n')
    try {
      expect(loader.headers).toEqual(['id', 'note'])
      const guessed = await loader.guessed()
      expect(guessed.map((g) => g.type)).toEqual(['integer', 'text'])
      expect(await collect(loader.copyText(guessed))).toBe('1\t1\ta\\\\b\n2\t2\t\\N\n')
      expect(await loader.finished()).toMatchObject({ rowCount: 2, diverged: false })
    } finally {
      await loader.stop()
    }
  })

  it('replays the spooled upload with other types, and a reused worker ignores what an abandoned upload left', async () => {
    const first = await open(`n\n${'1\n'.repeat(5000)}`)
    const guessed = await first.guessed()
    // Abandon the first COPY after one chunk: the worker still reads the rest, then takes the replay.
    for await (const _chunk of first.copyText(guessed)) break
    expect((await first.finished()).rowCount).toBe(5000)
    const asText = guessed.map((g) => ({ ...g, type: 'text' as const }))
    expect((await collect(first.reencoded(asText))).split('\n')).toHaveLength(5001)
    await first.stop()

    const second = await open('x\nhello\n')
    try {
      expect(await collect(second.copyText(await second.guessed()))).toBe('1\thello\n')
      expect((await second.finished()).rowCount).toBe(1)
    } finally {
      await second.stop()
    }
  })

  it('replays by reading a re-readable source again, with no spool, and drops what an abandoned replay left', async () => {
    const text = `n\n${'1\n'.repeat(5000)}`
    let reads = 0
    // A spool folder that cannot be created: the loader must not need one.
    const loader = await openCsvLoader({
      source: bytesOf(text, 4096), reread: () => { reads++; return bytesOf(text, 4096) },
      maxBytes: 1 << 20, spoolDir: '/nonexistent/phers-spool', workers,
    })
    try {
      const guessed = await loader.guessed()
      const first = await collect(loader.copyText(guessed))
      expect((await loader.finished()).rowCount).toBe(5000)
      expect(await collect(loader.reencoded(guessed))).toBe(first)
      for await (const _chunk of loader.reencoded(guessed)) break
      const asText = guessed.map((g) => ({ ...g, type: 'text' as const }))
      const again = (await collect(loader.reencoded(asText))).split('\n')
      expect(again).toHaveLength(5001)
      expect(again[4999]).toBe('5000\t1')
      expect(reads).toBe(3)
    } finally {
      await loader.stop()
    }
  })

  it('fails with the line-numbered BAD_CSV from the worker, early or in the middle of the COPY', async () => {
    const load = async (text: string) => {
      const loader = await open(text)
      try {
        return await collect(loader.copyText(await loader.guessed()))
      } finally {
        await loader.stop()
      }
    }
    await expect(load('a,b\n1,2\n3\n')).rejects.toMatchObject({ code: 'BAD_CSV', message: 'line 3: has 1 field, the header has 2' })
    await expect(load(`a,b\n${'1,2\n'.repeat(40_000)}3\n`)).rejects.toMatchObject({ code: 'BAD_CSV', message: 'line 40002: has 1 field, the header has 2' })
  })

  it('stops with the abort reason when the signal fires', async () => {
    const controller = new AbortController()
    const loader = await open(`n\n${'1\n'.repeat(50_000)}`, controller.signal)
    try {
      const copying = collect(loader.copyText(await loader.guessed()))
      controller.abort(new Error('client went away'))
      await expect(copying).rejects.toThrow('client went away')
    } finally {
      await loader.stop()
    }
  })
})
