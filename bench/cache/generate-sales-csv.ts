import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { createRandom as random } from '../../scripts/seeded-random.ts'

const REGIONS = ['north', 'south', 'east', 'west', 'central']
const CATEGORIES = ['laptop', 'desktop', 'monitor', 'printer', 'phone', 'tablet', 'dock', 'headset']

/** A narrow sales table (id, region, category, quantity, amount, sold_on): what an aggregate dashboard reads. */
export async function generateSalesCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file)
  const next = random(42)
  const pick = (list: string[]) => list[Math.floor(next() * list.length)]!
  out.write('id,region,category,quantity,amount,sold_on\n')
  let chunk = ''
  for (let i = 0; i < rows; i += 1) {
    const day = `2024-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`
    chunk += `${i + 1},${pick(REGIONS)},${pick(CATEGORIES)},${1 + Math.floor(next() * 20)},${(next() * 5_000).toFixed(2)},${day}\n`
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain')
      chunk = ''
    }
  }
  out.end(chunk)
  await once(out, 'finish')
}
