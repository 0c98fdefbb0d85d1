import { CONSUMING_FUNCTIONS } from './allowed-functions.ts'
import { refuse } from './refuse.ts'

type Node = Record<string, unknown>

/**
 * On the embedded database nothing can interrupt a running statement, and a recursive CTE's cost is invisible
 * to EXPLAIN, so `WITH RECURSIVE` must stop on its own: the outer query reads the self-referencing CTE alone,
 * lazily, under a literal LIMIT. Sorting, grouping, aggregates, windows, DISTINCT, set operations or
 * sub-queries in the outer query would consume the whole recursion first, so they are refused.
 */
export function checkRecursionBound(select: Node, maxRows: number): void {
  const problem = unboundedReason(select, maxRows)
  if (problem) refuse(`on the embedded database WITH RECURSIVE must be bounded: ${problem}`)
}

function unboundedReason(select: Node, maxRows: number): string | null {
  const ctes = (((select.withClause as Node).ctes as Node[] | undefined) ?? []).map((c) => c.CommonTableExpr as Node)
  const selfReferencing = new Set(ctes.filter((cte) => readsRelation(cte.ctequery, String(cte.ctename))).map((cte) => String(cte.ctename)))
  const from = (select.fromClause as Node[] | undefined) ?? []
  const source = from.length === 1 ? (from[0]!.RangeVar as Node | undefined) : undefined
  if (!source || source.schemaname || !selfReferencing.has(String(source.relname))) {
    return 'the outer query must read the recursive CTE alone'
  }
  const limit = ((select.limitCount as Node | undefined)?.A_Const as Node | undefined)?.ival as Node | undefined
  const rows = limit === undefined ? null : Number(limit.ival ?? 0)
  if (rows === null || rows > maxRows) return `the outer query needs a literal LIMIT of at most ${maxRows}`
  const consuming = ['sortClause', 'groupClause', 'distinctClause', 'havingClause', 'windowClause', 'larg']
  if (consuming.some((field) => select[field] !== undefined)) {
    return 'no ORDER BY, GROUP BY, DISTINCT, HAVING, WINDOW or set operation in the outer query'
  }
  const outer = [select.targetList, select.whereClause]
  if (outer.some((part) => containsKind(part, 'SubLink') || containsConsumingCall(part))) {
    return 'no aggregates, window functions or sub-queries in the outer query'
  }
  return null
}

function readsRelation(tree: unknown, name: string): boolean {
  return someNode(tree, (node) => node.relname === name && !node.schemaname)
}

function containsKind(tree: unknown, kind: string): boolean {
  return someNode(tree, (node) => kind in node)
}

function containsConsumingCall(tree: unknown): boolean {
  return someNode(tree, (node) => {
    const call = node.FuncCall as Node | undefined
    if (!call) return false
    const name = ((call.funcname as Node[]).at(-1)?.String as Node | undefined)?.sval
    return call.over !== undefined || CONSUMING_FUNCTIONS.has(String(name))
  })
}

function someNode(tree: unknown, test: (node: Node) => boolean): boolean {
  if (Array.isArray(tree)) return tree.some((item) => someNode(item, test))
  if (tree === null || typeof tree !== 'object') return false
  return test(tree as Node) || Object.values(tree).some((child) => someNode(child, test))
}
