import { createHash } from 'node:crypto'
import { keySql, keyText } from './index-key.ts'
import type { IndexCandidate } from './optimizer-types.ts'
import { qualified, quoteIdent } from '../../infra/quote-ident.ts'

const MAX_IDENTIFIER = 63

/**
 * A readable, deterministic name (`assets_manufacturer_created_at_idx`): the same candidate gets the same name
 * on every run, so an applied recommendation is recognised later. Long names keep a hash to stay unique.
 */
export function indexNameOf(candidate: Pick<IndexCandidate, 'table' | 'keys' | 'method'>): string {
  const parts = candidate.keys.map((k) => (k.fn ? `${k.fn}_${k.column}` : k.column))
  const suffix = candidate.method === 'gin_trgm' ? 'trgm_idx' : 'idx'
  const plain = `${candidate.table}_${parts.join('_')}_${suffix}`.toLowerCase().replace(/[^a-z0-9_]+/g, '_')
  if (plain.length <= MAX_IDENTIFIER) return plain
  const hash = createHash('sha256').update(`${candidate.table}|${candidate.method}|${candidate.keys.map(keyText).join('|')}`).digest('hex').slice(0, 8)
  return `${plain.slice(0, MAX_IDENTIFIER - hash.length - suffix.length - 2)}_${hash}_${suffix}`
}

export interface StatementOptions {
  /** CREATE INDEX CONCURRENTLY: no write lock on real PostgreSQL; not allowed inside a transaction or on PGlite. */
  concurrently?: boolean
  name?: string
}

/** `CREATE INDEX … ON schema.table USING method (keys)` with every identifier quoted. */
export function createIndexStatement(candidate: IndexCandidate, options: StatementOptions = {}): string {
  const name = options.name ?? indexNameOf(candidate)
  const method = candidate.method === 'gin_trgm' ? 'gin' : 'btree'
  const concurrently = options.concurrently ? ' CONCURRENTLY' : ''
  return `CREATE INDEX${concurrently} ${quoteIdent(name)} ON ${qualified(candidate.schema, candidate.table)} USING ${method} (${candidate.keys.map(keySql).join(', ')})`
}
