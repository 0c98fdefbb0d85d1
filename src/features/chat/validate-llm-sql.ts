import { parse } from 'libpg-query'

export interface ValidatedSql {
  sql: string
  params: unknown[]
}

/** Functions a proposed statement may call: aggregates and harmless scalar helpers. */
const ALLOWED_FUNCTIONS = new Set(['count', 'sum', 'avg', 'min', 'max', 'lower', 'upper', 'round', 'abs', 'coalesce',
  'length', 'date_part', 'extract', 'date_trunc', 'trim', 'nullif', 'floor', 'ceil', 'greatest', 'least'])

type Node = Record<string, unknown>

interface Findings {
  tables: { schema: string | undefined; name: string }[]
  columns: string[][]
  functions: string[]
  aliases: Set<string>
  constants: { location: number; kind: 'string' | 'number' }[]
}

const svals = (list: unknown) => (Array.isArray(list) ? list : []).map((f) => (f as { String?: { sval: string } }).String?.sval)

/** Walks the parse tree; constants under GROUP BY / ORDER BY stay literal (they can be column ordinals). */
const walk = (node: unknown, found: Findings, literalOnly = false): void => {
  if (Array.isArray(node)) return node.forEach((n) => walk(n, found, literalOnly))
  if (!node || typeof node !== 'object') return
  for (const [key, value] of Object.entries(node as Node)) {
    const v = value as Node
    if (key === 'RangeVar') found.tables.push({ schema: v.schemaname as string | undefined, name: v.relname as string })
    else if (key === 'ColumnRef') {
      const fields = svals(v.fields)
      if (!fields.some((f) => f === undefined)) found.columns.push(fields as string[])
    } else if (key === 'FuncCall') found.functions.push(String(svals(v.funcname).at(-1)))
    else if (key === 'ResTarget' && typeof v.name === 'string') found.aliases.add(v.name)
    else if (key === 'RangeSubselect' && (v.alias as Node | undefined)?.aliasname) found.aliases.add(String((v.alias as Node).aliasname))
    else if (key === 'A_Const' && !literalOnly && typeof v.location === 'number') {
      if (v.sval) found.constants.push({ location: v.location, kind: 'string' })
      else if (v.ival || v.fval) found.constants.push({ location: v.location, kind: 'number' })
    }
    walk(value, found, literalOnly || key === 'groupClause' || key === 'sortClause')
  }
}

/** Replaces literals by `$n` so model-written values are bound like the parser's. */
const parameterize = (sql: string, constants: Findings['constants']) => {
  let bytes = Buffer.from(sql)
  const params: { location: number; value: unknown }[] = []
  for (const c of [...constants].sort((a, b) => b.location - a.location)) {
    const rest = bytes.subarray(c.location).toString()
    let length: number
    let value: unknown
    if (c.kind === 'string') {
      const match = /^'((?:[^']|'')*)'/.exec(rest)
      if (!match) continue
      length = Buffer.byteLength(match[0])
      value = match[1]!.replaceAll("''", "'")
    } else {
      const match = /^-?\d+(\.\d+)?(e[+-]?\d+)?/i.exec(rest)
      if (!match) continue
      length = match[0].length
      value = Number(match[0])
    }
    params.unshift({ location: c.location, value })
    bytes = Buffer.concat([bytes.subarray(0, c.location), Buffer.from('\u0000'), bytes.subarray(c.location + length)])
  }
  let n = 0
  return { sql: bytes.toString().replace(/\u0000/g, () => `$${++n}`), params: params.map((p) => p.value) }
}

/**
 * Accepts a model's SQL only if it is one SELECT over the dataset's table using catalog columns and known
 * functions; literals become parameters. Returns a reason instead when it is not acceptable.
 */
export const validateLlmSql = async (sql: string, table: string, columns: ReadonlySet<string>, schema = 'datasets'):
  Promise<ValidatedSql | { rejected: string }> => {
  let tree: { stmts: { stmt: Node }[] }
  try {
    tree = (await parse(sql)) as unknown as typeof tree
  } catch (error) {
    return { rejected: `not valid SQL: ${(error as Error).message}` }
  }
  if (tree.stmts.length !== 1) return { rejected: 'expected exactly one statement' }
  const select = tree.stmts[0]!.stmt.SelectStmt as Node | undefined
  if (!select) return { rejected: 'only SELECT is allowed' }
  if (select.withClause || select.intoClause || select.lockingClause) return { rejected: 'WITH, INTO and locking clauses are not allowed' }
  const found: Findings = { tables: [], columns: [], functions: [], aliases: new Set(), constants: [] }
  walk(select, found)
  const badTable = found.tables.find((t) => t.name !== table || (t.schema !== undefined && t.schema !== schema))
  if (badTable || found.tables.length === 0) return { rejected: `unknown table ${badTable?.name ?? '(none)'}` }
  const badColumn = found.columns.find((f) => {
    const column = f.at(-1)!
    const qualifier = f.length > 1 ? f.at(-2) : undefined
    return (qualifier !== undefined && qualifier !== table && !found.aliases.has(qualifier)) || (!columns.has(column) && !found.aliases.has(column))
  })
  if (badColumn) return { rejected: `unknown column ${badColumn.join('.')}` }
  const badFunction = found.functions.find((f) => !ALLOWED_FUNCTIONS.has(f.toLowerCase()))
  if (badFunction) return { rejected: `function ${badFunction} is not allowed` }
  return parameterize(sql, found.constants)
}
