import { keyOf, keyText } from './index-key.ts'
import type { IndexKey, TableUsage } from './optimizer-types.ts'

type Node = Record<string, unknown>
type Slot = 'equality' | 'range' | 'prefix' | 'contains' | 'join' | 'order' | 'group'

const RANGE_OPERATORS = new Set(['<', '>', '<=', '>='])
const LIKE_KINDS = new Set(['AEXPR_LIKE', 'AEXPR_ILIKE'])

interface Scope {
  /** Alias (or bare table name) → the usage being filled for that table. */
  byName: Map<string, TableUsage>
  tables: TableUsage[]
}

/**
 * Reads how a SELECT (and every SELECT nested in it) uses each base table: columns compared with constants
 * (equality, range, prefix or substring match), join columns, ORDER BY and GROUP BY columns. Bare column names
 * are attributed only when the SELECT reads a single table; with several tables the qualifier decides.
 */
export function readTableUsage(select: Node): TableUsage[] {
  const found: TableUsage[] = []
  visitSelect(select, found)
  return found
}

function visitSelect(select: Node, found: TableUsage[]): void {
  const scope: Scope = { byName: new Map(), tables: [] }
  for (const item of (select.fromClause as Node[] | undefined) ?? []) collectFrom(item, scope, found)
  for (const qual of joinQuals(select.fromClause)) readCondition(qual, scope)
  if (select.whereClause) readCondition(select.whereClause as Node, scope)
  for (const item of (select.groupClause as Node[] | undefined) ?? []) place(item, 'group', scope)
  for (const item of (select.sortClause as Node[] | undefined) ?? []) place((item.SortBy as Node | undefined)?.node, 'order', scope)
  found.push(...scope.tables.filter((t) => !found.includes(t)))
  nestedSelects(select, found)
}

function collectFrom(item: Node, scope: Scope, found: TableUsage[]): void {
  const range = item.RangeVar as Node | undefined
  if (range) {
    const usage: TableUsage = {
      schema: typeof range.schemaname === 'string' ? range.schemaname : null, table: String(range.relname),
      equality: [], range: [], prefix: [], contains: [], join: [], order: [], group: [],
    }
    const alias = ((range.alias as Node | undefined)?.aliasname as string | undefined) ?? usage.table
    scope.byName.set(alias, usage)
    scope.tables.push(usage)
    return
  }
  const join = item.JoinExpr as Node | undefined
  if (join) {
    collectFrom(join.larg as Node, scope, found)
    collectFrom(join.rarg as Node, scope, found)
  }
  // Subqueries and functions in FROM are reached by nestedSelects; their columns are not base-table columns.
}

function joinQuals(fromClause: unknown): Node[] {
  const quals: Node[] = []
  const walk = (item: Node | undefined) => {
    const join = item?.JoinExpr as Node | undefined
    if (!join) return
    if (join.quals) quals.push(join.quals as Node)
    walk(join.larg as Node)
    walk(join.rarg as Node)
  }
  for (const item of (fromClause as Node[] | undefined) ?? []) walk(item)
  return quals
}

function readCondition(node: Node, scope: Scope): void {
  const bool = node.BoolExpr as Node | undefined
  if (bool?.boolop === 'AND_EXPR') return void ((bool.args as Node[]) ?? []).forEach((arg) => readCondition(arg, scope))
  // Each branch of an OR can use its own index (BitmapOr), so its columns count as single-column candidates.
  if (bool?.boolop === 'OR_EXPR') return void ((bool.args as Node[]) ?? []).forEach((arg) => readCondition(arg, scope))
  const nullTest = node.NullTest as Node | undefined
  if (nullTest) return place(nullTest.arg, 'equality', scope)
  // `col IN (SELECT …)` is a semi-join on col; the subquery itself is read as a nested SELECT.
  const subLink = node.SubLink as Node | undefined
  if (subLink?.subLinkType === 'ANY_SUBLINK') return place(subLink.testexpr, 'equality', scope)
  const expr = node.A_Expr as Node | undefined
  if (expr) readComparison(expr, scope)
}

function readComparison(expr: Node, scope: Scope): void {
  const kind = String(expr.kind)
  const op = ((expr.name as Node[] | undefined)?.at(-1)?.String as Node | undefined)?.sval
  const left = expr.lexpr as Node | undefined
  const right = expr.rexpr as Node | undefined
  if (kind === 'AEXPR_IN') return place(left, 'equality', scope)
  if (kind === 'AEXPR_BETWEEN' || kind === 'AEXPR_BETWEEN_SYM') return place(left, 'range', scope)
  if (LIKE_KINDS.has(kind)) return readLike(kind, left, right, scope)
  if (kind !== 'AEXPR_OP' || (op !== '=' && !RANGE_OPERATORS.has(String(op)))) return
  const leftKey = keyOf(left)
  const rightKey = keyOf(right)
  const slot: Slot = op === '=' ? 'equality' : 'range'
  if (leftKey && rightKey) {
    // column = column: a join (or a same-table comparison that no index serves).
    if (op === '=') for (const side of [left, right]) place(side, 'join', scope)
    return
  }
  if (leftKey && isValue(right)) place(left, slot, scope)
  else if (rightKey && isValue(left)) place(right, slot, scope)
}

function readLike(kind: string, left: Node | undefined, right: Node | undefined, scope: Scope): void {
  const pattern = ((right?.A_Const as Node | undefined)?.sval as Node | undefined)?.sval
  if (typeof pattern !== 'string') return
  if (pattern.startsWith('%') || pattern.startsWith('_') || kind === 'AEXPR_ILIKE') return place(left, 'contains', scope)
  const located = locate(left, scope)
  if (located) addKey(located.usage, 'prefix', { ...located.key, opclass: 'text_pattern_ops' })
}

/** Constants, parameters, and expressions made of them (casts, `now() - interval …`) compare like values. */
function isValue(node: Node | undefined): boolean {
  if (!node) return false
  if (node.A_Const || node.ParamRef || node.SQLValueFunction) return true
  const cast = node.TypeCast as Node | undefined
  if (cast) return isValue(cast.arg as Node)
  const expr = node.A_Expr as Node | undefined
  if (expr?.kind === 'AEXPR_OP') return (!expr.lexpr || isValue(expr.lexpr as Node)) && isValue(expr.rexpr as Node)
  const call = node.FuncCall as Node | undefined
  return Boolean(call) && ((call!.args as Node[] | undefined) ?? []).every(isValue)
}

function locate(node: unknown, scope: Scope): { usage: TableUsage; key: IndexKey } | null {
  const found = keyOf(node)
  if (!found) return null
  const usage = found.qualifier === null
    ? scope.tables.length === 1 ? scope.tables[0] : undefined
    : scope.byName.get(found.qualifier)
  return usage ? { usage, key: found.key } : null
}

function place(node: unknown, slot: Slot, scope: Scope): void {
  const located = locate(node, scope)
  if (located) addKey(located.usage, slot, located.key)
}

function addKey(usage: TableUsage, slot: Slot, key: IndexKey): void {
  if (!usage[slot].some((k) => keyText(k) === keyText(key))) usage[slot].push(key)
}

/** Every SelectStmt below this one (subqueries, CTEs, set operations), each read with its own scope. */
function nestedSelects(select: Node, found: TableUsage[]): void {
  // Set operations hold their branches as bare SelectStmt bodies under larg/rarg (JoinExpr's larg/rarg are wrapped).
  const isSelectBody = (node: Node) => typeof node.op === 'string'
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk)
    if (value === null || typeof value !== 'object') return
    for (const [key, child] of Object.entries(value as Node)) {
      if (key === 'SelectStmt') visitSelect(child as Node, found)
      else if ((key === 'larg' || key === 'rarg') && isSelectBody(child as Node)) visitSelect(child as Node, found)
      else walk(child)
    }
  }
  walk(select)
}
