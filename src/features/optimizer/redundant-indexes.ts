import type { ExistingIndex } from './existing-indexes.ts'
import { isKeyPrefix, sameKeys } from './index-key.ts'
import type { IndexKey } from './optimizer-types.ts'

export interface Redundancy {
  index: ExistingIndex
  kind: 'DUPLICATE' | 'PREFIX_REDUNDANT'
  coveredBy: ExistingIndex
}

/** Indexes backing a primary key, unique or other constraint are load-bearing and never proposed for dropping. */
export const protectedIndex = (index: ExistingIndex) => index.primary || index.unique || index.constraint

const modelled = (index: ExistingIndex): IndexKey[] | null => (index.keys.every((k) => k !== null) ? (index.keys as IndexKey[]) : null)

/** The definition without the index's own name: two indexes with the same text here are the same index. */
const shape = (index: ExistingIndex) => index.definition.replace(/^CREATE (UNIQUE )?INDEX \S+ ON /, 'CREATE $1INDEX ON ')

const sameShape = (a: ExistingIndex, b: ExistingIndex) => shape(a) === shape(b)

/** A plain index with exactly the keys of a unique or primary-key index adds nothing to it. */
function sameKeysAsUnique(index: ExistingIndex, other: ExistingIndex): boolean {
  const a = modelled(index)
  const b = modelled(other)
  return protectedIndex(other) && a !== null && b !== null && index.method === other.method && !index.partial && !other.partial && sameKeys(a, b)
}

/**
 * Duplicates (same definition apart from the name) and prefix-redundant btrees (keys that lead another btree's
 * keys, no predicate). Of two duplicates the protected one, else the older one, is kept.
 */
export function redundantIndexes(indexes: readonly ExistingIndex[]): Redundancy[] {
  const found: Redundancy[] = []
  const sameTable = (a: ExistingIndex, b: ExistingIndex) => a.schema === b.schema && a.table === b.table && a !== b
  for (const index of indexes) {
    if (protectedIndex(index) || !index.valid) continue
    const twin = indexes.find((o) => sameTable(index, o) && o.valid && (sameShape(index, o) || sameKeysAsUnique(index, o)) && (protectedIndex(o) || o.oid < index.oid))
    if (twin) {
      found.push({ index, kind: 'DUPLICATE', coveredBy: twin })
      continue
    }
    const keys = modelled(index)
    if (!keys || index.method !== 'btree' || index.partial) continue
    const wider = indexes.find((o) => {
      const other = sameTable(index, o) && o.valid && o.method === 'btree' && !o.partial ? modelled(o) : null
      return other !== null && other.length > keys.length && isKeyPrefix(keys, other)
    })
    if (wider) found.push({ index, kind: 'PREFIX_REDUNDANT', coveredBy: wider })
  }
  return found
}
