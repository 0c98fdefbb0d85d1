/** One query shape of the benchmark workload; `sql(i)` gives the i-th instance (constants vary, shape does not). */
export interface QueryShape {
  name: string
  /** Selective shapes must get ≥ 10× faster; the full aggregate must get no index. */
  selective: boolean
  sql(i: number): string
}

const pick = (i: number, modulo: number, salt: number) => ((i + 1) * salt) % modulo

export const SHAPES: QueryShape[] = [
  { name: 'point lookup', selective: true, sql: (i) => `SELECT * FROM assets WHERE asset_tag = 'AT-${String(1 + pick(i, 999_999, 7_777)).padStart(7, '0')}'` },
  { name: 'selective filter', selective: true, sql: (i) => `SELECT asset_tag, cost FROM assets WHERE manufacturer = 'Maker ${pick(i, 1_000, 37)}'` },
  {
    name: 'filter + ORDER BY … LIMIT', selective: true,
    sql: (i) => `SELECT asset_tag, purchased FROM assets WHERE category = 'cat ${pick(i, 40, 7)}' ORDER BY purchased DESC LIMIT 20`,
  },
  {
    name: 'date range', selective: true,
    sql: (i) => {
      const start = new Date(Date.UTC(2016, 0, 1) + pick(i, 3_600, 97) * 86_400_000)
      const end = new Date(start.getTime() + 6 * 86_400_000)
      return `SELECT count(*), sum(cost) FROM assets WHERE purchased BETWEEN '${start.toISOString().slice(0, 10)}' AND '${end.toISOString().slice(0, 10)}'`
    },
  },
  { name: 'case-insensitive match', selective: true, sql: (i) => `SELECT asset_tag, status FROM assets WHERE lower(location) = 'room ${pick(i, 5_000, 613)}'` },
  { name: 'full aggregate', selective: false, sql: () => 'SELECT category, count(*), avg(cost) FROM assets GROUP BY category' },
]
