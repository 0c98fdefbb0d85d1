import type { Database } from '../../src/infra/database.ts'

/**
 * The benchmark's dataset: 1,000,000 assets generated in the database (no CSV round trip; ingest has its own
 * bench). Column spreads are chosen so each query shape has a known selectivity: asset_tag unique,
 * 1,000 manufacturers (0.1 %), 40 categories (2.5 %), ten years of purchase dates, 5,000 locations.
 * Rows arrive in purchase order (with a few days of jitter), like an export of an append-only register;
 * every other column is spread independently of the row order, the worst case for an index's heap visits.
 */
export async function createBenchTable(database: Database, schema: string, rows: number): Promise<void> {
  await database.transaction(async (session) => {
    const table = `"${schema}".assets`
    await session.query(`CREATE TABLE ${table} (_row bigint NOT NULL, asset_tag text, manufacturer text, category text, status text,
      cost numeric, purchased date, location text, notes text)`)
    // Multiplicative hashes spread the other columns independently of _row, so they are not physically clustered.
    await session.query(`INSERT INTO ${table}
      SELECT g, 'AT-' || lpad(g::text, 7, '0'), 'Maker ' || ((g * 7919) % 1000), 'cat ' || ((g * 104729) % 40),
        (ARRAY['active', 'repair', 'retired', 'stock', 'lost'])[1 + (g * 31) % 5], ((g * 2654435761) % 100000) / 100.0,
        DATE '2016-01-01' + (g * 3650 / ${rows} + (g * 48271) % 5)::int, 'Room ' || ((g * 69621) % 5000), md5(g::text)
      FROM generate_series(1::bigint, ${rows}::bigint) g`)
    await session.query(`ANALYZE ${table}`)
  })
}
