import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends } from '../../../test/support/backends.ts'
import { openDatasetFixture, viewerOf, type DatasetFixture } from './dataset-test-fixture.ts'

const rows = (n: number) => `id,label\n${Array.from({ length: n }, (_, i) => `${i + 1},item ${i}`).join('\n')}\n`

describe.each(backends())('ingest lifecycle on $name', (backend) => {
  let f: DatasetFixture
  const roleInputs: { name: string; rowCount: number; distinctCount: number }[] = []
  beforeAll(async () => {
    f = await openDatasetFixture(backend, 16 * 1024 * 1024, (column) => {
      roleInputs.push({ name: column.name, rowCount: column.rowCount, distinctCount: column.distinctCount })
      return column.type === 'integer' ? { role: 'identifier', confidence: 0.9 } : { role: 'text', confidence: 0.4 }
    })
  })
  afterAll(async () => { await f?.stop() })

  it('reports progress and stores the detected column roles', async () => {
    const seen: { rowsRead: number; bytesRead: number }[] = []
    const text = rows(5000)
    const dataset = await f.upload(text, { name: 'progress', chunkSize: 4096, onProgress: (p) => seen.push(p) })
    expect(seen.at(-1)).toEqual({ rowsRead: 5000, bytesRead: text.length })
    expect(seen.map((p) => p.rowsRead)).toEqual([...seen.map((p) => p.rowsRead)].sort((a, b) => a - b))
    expect(dataset.fileSize).toBe(text.length)
    const [columns] = await f.service.columns([dataset.id])
    expect(columns!.map((c) => [c.role, c.roleConfidence])).toEqual([['identifier', expect.closeTo(0.9, 5)], ['text', expect.closeTo(0.4, 5)]])
    expect(roleInputs).toEqual([{ name: 'id', rowCount: 5000, distinctCount: 5000 }, { name: 'label', rowCount: 5000, distinctCount: 5000 }])
  })

  it('leaves nothing behind when the upload is aborted midway', async () => {
    const controller = new AbortController()
    const upload = f.upload(rows(50_000), {
      name: 'aborted', chunkSize: 8192, signal: controller.signal,
      onProgress: (p) => { if (p.rowsRead > 10_000) controller.abort(new Error('client went away')) },
    })
    await expect(upload).rejects.toThrow('client went away')
    expect(await f.service.getByName('aborted', viewerOf('alice'))).toBeNull()
    expect((await f.datasetTables()).filter((t) => !t.endsWith('.progress'))).toEqual([])
  })

  it('serializes two uploads of one name: the second replaces the first', async () => {
    const [a, b] = await Promise.all([f.upload(rows(10), { name: 'twice' }), f.upload(rows(20), { name: 'twice' })])
    expect(a.id).toBe(b.id)
    expect([a.version, b.version].sort()).toEqual([1, 2])
    const final = await f.service.getByName('twice', viewerOf('alice'))
    expect(final!.version).toBe(2)
    expect(final!.rowCount).toBe(a.version === 2 ? 10 : 20)
  })
})
