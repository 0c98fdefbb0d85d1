import { isKeyPrefix, keyText } from './index-key.ts'
import type { IndexCandidate, IndexKey, IndexMethod, TableUsage } from './optimizer-types.ts'

/** An index that already exists, as far as coverage is concerned. */
export interface CoveringIndex {
  method: IndexMethod | string
  keys: IndexKey[]
  /** Partial indexes only serve statements that imply their predicate: not counted as covering. */
  partial: boolean
}

export interface CandidateOptions {
  schema: string
  /** pg_trgm is installed in the database, so GIN trigram indexes can be built. */
  trigram: boolean
  /** Btree keys beyond this are not proposed (Dexter stops at two; three lets equality+range+order fit). */
  maxKeys?: number
  existing: readonly CoveringIndex[]
}

const words = (keys: readonly IndexKey[]) => keys.map(keyText).join(', ')

/**
 * Index candidates for one table from how statements use it. Single-column candidates for every predicate,
 * join, ORDER BY and GROUP BY column; composite ones put equality columns first, then one range column (a
 * btree can only range-scan its last used key), else the ORDER BY (or GROUP BY) columns so rows come out
 * already ordered. Candidates an existing index already serves as a prefix are skipped.
 */
export function indexCandidates(usages: readonly TableUsage[], options: CandidateOptions): IndexCandidate[] {
  const maxKeys = options.maxKeys ?? 3
  const found = new Map<string, IndexCandidate>()
  const add = (method: IndexMethod, keys: IndexKey[], because: string) => {
    if (keys.length === 0) return
    const trimmed = keys.slice(0, maxKeys)
    if (options.existing.some((e) => !e.partial && sameMethod(e.method, method) && isKeyPrefix(trimmed, e.keys))) return
    const signature = `${method}:${trimmed.map(keyText).join('|')}`
    const known = found.get(signature)
    if (known) return void (known.because.includes(because) || known.because.push(because))
    found.set(signature, { schema: options.schema, table: usages[0]?.table ?? '', method, keys: trimmed, because: [because] })
  }
  for (const usage of usages) {
    for (const key of usage.equality) add('btree', [key], `equality on ${keyText(key)}`)
    for (const key of usage.range) add('btree', [key], `range on ${keyText(key)}`)
    for (const key of usage.prefix) add('btree', [key], `prefix match on ${key.column}`)
    for (const key of usage.join) add('btree', [key], `join on ${keyText(key)}`)
    if (options.trigram) for (const key of usage.contains) add('gin_trgm', [{ ...key, opclass: 'gin_trgm_ops' }], `substring match on ${keyText(key)}`)
    if (usage.order[0]) add('btree', usage.order, `ORDER BY ${words(usage.order)}`)
    if (usage.group.length > 0) add('btree', usage.group, `GROUP BY ${words(usage.group)}`)
    composites(usage, add)
  }
  return [...found.values()]
}

function composites(usage: TableUsage, add: (method: IndexMethod, keys: IndexKey[], because: string) => void): void {
  const equality = distinct(usage.equality)
  if (equality.length > 1) add('btree', equality, `equality on ${words(equality)}`)
  const base = equality
  const range = usage.range.find((k) => !base.some((b) => keyText(b) === keyText(k)))
  if (range && base.length > 0) add('btree', [...base, range], `equality on ${words(base)}, then range on ${keyText(range)}`)
  // A range column between equality and ORDER BY keys would break the ordering, so order follows equality only.
  const order = usage.order.filter((k) => !base.some((b) => keyText(b) === keyText(k)))
  if (order.length > 0 && base.length > 0) add('btree', [...base, ...order], `equality on ${words(base)}, then ORDER BY ${words(order)}`)
  const group = usage.group.filter((k) => !base.some((b) => keyText(b) === keyText(k)))
  if (group.length > 0 && base.length > 0) add('btree', [...base, ...group], `equality on ${words(base)}, then GROUP BY ${words(group)}`)
}

const distinct = (keys: readonly IndexKey[]) => keys.filter((k, i) => keys.findIndex((o) => keyText(o) === keyText(k)) === i)

const sameMethod = (existing: string, method: IndexMethod) => existing === method || (existing === 'gin' && method === 'gin_trgm')
