import { ALLOWED_FUNCTIONS, EXPANDING_FUNCTIONS, MAX_EXPANSION } from './allowed-functions.ts'
import { ALLOWED_TYPES } from './allowed-types.ts'
import type { GuardOptions } from './guarded-statement.ts'
import { refuse } from './refuse.ts'

/** Checks of single parse-tree nodes, applied by the statement guard's walk wherever the node appears. */

type Node = Record<string, unknown>

export function checkFunction(call: Node, options: GuardOptions): void {
  const { schema, name, parts } = nameOf(call.funcname)
  if (parts > 2 || (schema !== null && schema !== 'pg_catalog') || !ALLOWED_FUNCTIONS.has(name)) {
    refuse(`function ${schema ? `${schema}.` : ''}${name} is not allowed`)
  }
  // The planner sizes generate_series from literal bounds only; computed bounds are a blind spot for the cost check.
  if (options.embedded && name === 'generate_series' && !((call.args as Node[] | undefined) ?? []).every(isLiteral)) {
    refuse('on the embedded database generate_series needs literal bounds')
  }
  const index = EXPANDING_FUNCTIONS.get(name)
  const arg = index === undefined ? undefined : (call.args as Node[] | undefined)?.[index]
  if (arg === undefined) return
  const length = (arg.A_Const as Node | undefined)?.ival
  const value = length === undefined ? null : Number((length as Node).ival ?? 0)
  if (value === null || value > MAX_EXPANSION) refuse(`${name} needs a literal length of at most ${MAX_EXPANSION}`)
}

function isLiteral(arg: Node): boolean {
  if (arg.A_Const || arg.ParamRef) return true
  const cast = arg.TypeCast as Node | undefined
  return cast !== undefined && isLiteral(cast.arg as Node)
}

export function checkType(typeName: Node): void {
  const { schema, name } = nameOf(typeName.names)
  if (typeName.setof || typeName.pct_type) refuse('SETOF and %TYPE are not allowed')
  if ((schema !== null && schema !== 'pg_catalog') || !ALLOWED_TYPES.has(name)) refuse(`type ${name} is not allowed`)
}

export function checkQualifiedName(names: unknown, what: string): void {
  const { schema, parts } = nameOf(names)
  if (parts > 2 || (schema !== null && schema !== 'pg_catalog')) refuse(`${what}s from schema ${schema} are not allowed`)
}

export function nameOf(names: unknown): { schema: string | null; name: string; parts: number } {
  const parts = ((names as Node[] | undefined) ?? []).map((n) => String((n.String as Node | undefined)?.sval ?? ''))
  return { schema: parts.length > 1 ? parts[0]! : null, name: parts.at(-1) ?? '', parts: parts.length }
}

/** The protobuf JSON omits zero values (`{ ival: {} }` is 0, `{ boolval: {} }` is false). */
export function constantValue(node: Node): unknown {
  const inner = (field: string) => (node[field] as Node | undefined)?.[field]
  if (node.isnull) return null
  if ('ival' in node) return inner('ival') ?? 0
  if ('fval' in node) return { numeric: inner('fval') }
  if ('boolval' in node) return inner('boolval') ?? false
  if ('bsval' in node) return { bits: inner('bsval') }
  return inner('sval') ?? ''
}
