import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { createRandom as random } from '../../scripts/seeded-random.ts'

/** Column headers of the generated file: a mix of every inferred type, including dirty ones. */
export const BENCH_HEADERS = [
  'Order ID', 'SKU Code', 'Customer Name', 'Email', 'Category', 'Quantity',
  'Unit Price', 'Discount', 'Paid?', 'Order Date', 'Shipped (MM/DD/YYYY)', 'Notes',
] as const

const NAMES = ['Ana Reyes', 'Bruno Silva', 'Carla Novak', 'Diego Okafor', 'Elena Tanaka', 'Farah Larsen', 'Gustav Moreau']
const CATEGORIES = ['laptop', 'desktop', 'monitor', 'printer', 'phone', 'tablet', 'dock', 'headset']
const NOTES = ['', 'fragile', 'gift, wrapped', 'call "before" delivery', 'leave at door', 'multi\nline note', '\\N']

const pad = (n: number, width: number) => String(n).padStart(width, '0')
/** `$4,262.32`: US money with thousands grouping (toLocaleString is ~20× slower over a million rows). */
const money = (cents: number) => `$${String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+$)/g, ',')}.${pad(cents % 100, 2)}`
const quote = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text)

/** One CSV line (with its newline) for row number `i`. */
export function benchRow(i: number, next: () => number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!
  const month = 1 + Math.floor(next() * 12)
  const day = 1 + Math.floor(next() * 28)
  const cents = Math.floor(next() * 500_000)
  const fields = [
    String(i + 1),
    pad(Math.floor(next() * 100_000), 6),
    pick(NAMES),
    `user${Math.floor(next() * 50_000)}@example.com`,
    pick(CATEGORIES),
    String(1 + Math.floor(next() * 40)),
    money(cents),
    `${Math.floor(next() * 30)}%`,
    next() < 0.5 ? 'yes' : 'no',
    `2024-${pad(month, 2)}-${pad(day, 2)}`,
    `${pad(month, 2)}/${pad(day, 2)}/2024`,
    pick(NOTES),
  ]
  return `${fields.map(quote).join(',')}\n`
}

/** Writes `rows` data rows plus the header to `file`; returns the byte size. */
export async function generateBenchCsv(file: string, rows: number, seed = 42): Promise<number> {
  const next = random(seed)
  const out = createWriteStream(file)
  let bytes = 0
  let buffer = `${BENCH_HEADERS.map(quote).join(',')}\n`
  for (let i = 0; i < rows; i++) {
    buffer += benchRow(i, next)
    if (buffer.length > 1 << 20) {
      bytes += Buffer.byteLength(buffer)
      if (!out.write(buffer)) await once(out, 'drain')
      buffer = ''
    }
  }
  bytes += Buffer.byteLength(buffer)
  out.end(buffer)
  await once(out, 'finish')
  return bytes
}
