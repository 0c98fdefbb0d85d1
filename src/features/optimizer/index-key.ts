import type { IndexKey } from './optimizer-types.ts'
import { quoteIdent } from '../../infra/quote-ident.ts'

type Node = Record<string, unknown>

/** Immutable one-argument functions an expression index may wrap (the planner matches them exactly). */
const INDEXABLE_FUNCTIONS = new Set(['lower', 'upper', 'btrim', 'abs'])

export interface ColumnOf {
  /** Alias or table name the reference was qualified with, null when bare. */
  qualifier: string | null
  column: string
}

const strings = (fields: unknown): string[] =>
  ((fields as Node[] | undefined) ?? []).map((f) => (f.String as Node | undefined)?.sval).filter((s): s is string => typeof s === 'string')

/** `a.col` or `col` → its parts; anything else (star, deeper qualification) → null. */
export function columnRef(node: unknown): ColumnOf | null {
  const ref = (node as Node | undefined)?.ColumnRef as Node | undefined
  if (!ref) return null
  const parts = strings(ref.fields)
  if (parts.length !== ((ref.fields as unknown[]) ?? []).length) return null
  if (parts.length === 1) return { qualifier: null, column: parts[0]! }
  if (parts.length === 2) return { qualifier: parts[0]!, column: parts[1]! }
  return null
}

/** A column or `fn(column)` for an indexable function, with the qualifier to resolve the table by. */
export function keyOf(node: unknown): { qualifier: string | null; key: IndexKey } | null {
  const unwrapped = unwrapCast(node)
  const column = columnRef(unwrapped)
  if (column) return { qualifier: column.qualifier, key: { column: column.column, fn: null, opclass: null } }
  const call = (unwrapped as Node | undefined)?.FuncCall as Node | undefined
  const name = strings(call?.funcname).at(-1)
  const args = (call?.args as unknown[] | undefined) ?? []
  if (!call || !name || !INDEXABLE_FUNCTIONS.has(name) || args.length !== 1) return null
  const inner = columnRef(unwrapCast(args[0]))
  return inner ? { qualifier: inner.qualifier, key: { column: inner.column, fn: name, opclass: null } } : null
}

/** `col::text` compares like `col` for an index on a text column; other casts change the type and are kept out. */
function unwrapCast(node: unknown): unknown {
  const cast = (node as Node | undefined)?.TypeCast as Node | undefined
  if (!cast) return node
  const type = strings((cast.typeName as Node | undefined)?.names).at(-1)
  return type === 'text' ? cast.arg : node
}

/** Canonical text of a key: equal for the same column, function and opclass. */
export const keyText = (key: IndexKey): string =>
  `${key.fn ? `${key.fn}(${key.column})` : key.column}${key.opclass ? ` ${key.opclass}` : ''}`

/** The key as SQL in a CREATE INDEX column list. Identifiers are quoted; fn and opclass come from fixed lists. */
export function keySql(key: IndexKey): string {
  const column = quoteIdent(key.column)
  const expression = key.fn ? `(${key.fn}(${column}))` : column
  return key.opclass ? `${expression} ${key.opclass}` : expression
}

export const sameKeys = (a: readonly IndexKey[], b: readonly IndexKey[]): boolean =>
  a.length === b.length && a.every((k, i) => keyText(k) === keyText(b[i]!))

/** True when `prefix` is the leading part of `keys` (a btree on `keys` serves what one on `prefix` would). */
export const isKeyPrefix = (prefix: readonly IndexKey[], keys: readonly IndexKey[]): boolean =>
  prefix.length <= keys.length && prefix.every((k, i) => keyText(k) === keyText(keys[i]!))
