import { createHash } from 'node:crypto'
import { fingerprintSync, loadModule, parseSync } from 'libpg-query'
import { AppError } from '../../errors.ts'
import { checkFunction, checkQualifiedName, checkType, constantValue, nameOf } from './guard-checks.ts'
import type { GuardedStatement, GuardOptions, RelationRef } from './guarded-statement.ts'
import { memoizeGuard } from './guard-memo.ts'
import { checkRecursionBound } from './recursion-bound.ts'
import { refuse } from './refuse.ts'

type Node = Record<string, unknown>

/**
 * Parse-tree node kinds a read query may contain. Anything else (DML, DDL, utility, XML, row locks, cursors,
 * `CURRENT OF`, …) is refused wherever it appears, so new node kinds in a future parser fail closed.
 */
const ALLOWED_NODES = new Set(
  `SelectStmt ResTarget ColumnRef String A_Star A_Const Integer Float Boolean BitString FuncCall A_Expr BoolExpr
   NullTest BooleanTest CaseExpr CaseWhen CoalesceExpr MinMaxExpr SubLink RangeVar RangeSubselect RangeFunction
   JoinExpr Alias SortBy WindowDef WithClause CommonTableExpr CTESearchClause CTECycleClause TypeCast TypeName
   A_Indirection A_Indices A_ArrayExpr RowExpr ParamRef SQLValueFunction GroupingSet GroupingFunc CollateClause
   RangeTableSample ColumnDef List NamedArgExpr JsonObjectConstructor JsonArrayConstructor JsonValueExpr
   JsonKeyValue JsonOutput JsonReturning JsonFormat JsonObjectAgg JsonArrayAgg JsonAggConstructor
   JsonIsPredicate JsonFuncExpr JsonParseExpr JsonScalarExpr JsonSerializeExpr JsonBehavior`
    .split(/\s+/)
    .filter(Boolean),
)

/** `CURRENT_USER`, `SESSION_USER`, `CURRENT_SCHEMA`… would reveal role and schema names; dates are fine. */
const ALLOWED_VALUE_FUNCTIONS = new Set(
  ['CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_TIME_N', 'CURRENT_TIMESTAMP', 'CURRENT_TIMESTAMP_N', 'LOCALTIME', 'LOCALTIME_N', 'LOCALTIMESTAMP', 'LOCALTIMESTAMP_N'].map((op) => `SVFOP_${op}`),
)
const SAMPLE_METHODS = new Set(['bernoulli', 'system'])
const POSITION_FIELDS = new Set(['location', 'stmt_location', 'stmt_len'])
/** Parsing is linear but not free: a megabyte of SQL is an attack, not a question. */
const MAX_SQL_LENGTH = 100_000

interface WalkState {
  options: GuardOptions
  constants: unknown[]
  relations: RelationRef[]
  maxParam: number
  recursiveClauses: number
}

export interface StatementGuard {
  /** Throws AppError SQL_NOT_ALLOWED (refused) or SQL_ERROR (does not parse); pure and synchronous. */
  check(sqlText: string, options: GuardOptions): GuardedStatement
  /**
   * Re-parses text the executor built around a guarded statement (`DECLARE … CURSOR FOR <statement>`) and
   * throws unless it is exactly one statement of `kind`: proof the wrapping did not change what runs.
   */
  checkWrapped(text: string, kind: string): void
}

export interface StatementGuardOptions {
  /** Budget (bytes of SQL text) for remembering accepted statements; 0 re-parses every time. Default 4 MiB. */
  memoBytes?: number
}

/** Loads the PostgreSQL parser (WebAssembly) once; `check` is synchronous afterwards. */
export async function createStatementGuard(options: StatementGuardOptions = {}): Promise<StatementGuard> {
  await loadModule()
  return { check: memoizeGuard(guardStatement, options.memoBytes), checkWrapped }
}

function guardStatement(sqlText: string, options: GuardOptions): GuardedStatement {
  if (sqlText.length > MAX_SQL_LENGTH) refuse(`the statement is longer than ${MAX_SQL_LENGTH} characters`)
  const stmts = sqlText.trim() === '' ? [] : parseTree(sqlText)
  if (stmts.length !== 1) refuse(stmts.length === 0 ? 'the text holds no statement' : 'send exactly one statement')
  const { stmt, stmt_location: start = 0, stmt_len: length = 0 } = stmts[0] as { stmt: Node; stmt_location?: number; stmt_len?: number }
  const kind = Object.keys(stmt)[0] ?? 'unknown'
  if (kind !== 'SelectStmt') refuse(`${kind.replace(/Stmt$/, '')} statements are not allowed; only SELECT, WITH … SELECT, VALUES and TABLE`)
  const state: WalkState = { options, constants: [], relations: [], maxParam: 0, recursiveClauses: 0 }
  const select = stmt.SelectStmt as Node
  visitSelect(select, [], state)
  if (state.recursiveClauses > 0 && options.embedded) {
    if (state.recursiveClauses > 1 || !(select.withClause as Node | undefined)?.recursive) {
      refuse('on the embedded database WITH RECURSIVE is allowed only once, at the top of the statement')
    }
    checkRecursionBound(select, options.maxResultRows)
  }
  return {
    fingerprint: fingerprintSync(sqlText),
    shape: createHash('sha256').update(JSON.stringify(stmt, (key, value) => (POSITION_FIELDS.has(key) ? undefined : value))).digest('base64url'),
    constants: state.constants,
    relations: state.relations,
    maxParam: state.maxParam,
    recursive: state.recursiveClauses > 0,
    text: sqlText.slice(start, length > 0 ? start + length : undefined),
  }
}

function checkWrapped(text: string, kind: string): void {
  const stmts = parseTree(text) as { stmt: Node }[]
  if (stmts.length !== 1 || !(kind in stmts[0]!.stmt)) refuse('the statement does not stand on its own')
}

function parseTree(sqlText: string): unknown[] {
  try {
    return parseSync(sqlText).stmts ?? []
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails
    throw new AppError('SQL_ERROR', (error as Error).message, { position: details?.cursorPosition ?? null })
  }
}

function visit(value: unknown, scope: readonly string[], state: WalkState): void {
  if (Array.isArray(value)) {
    for (const item of value) visit(item, scope, state)
    return
  }
  if (value === null || typeof value !== 'object') return
  const node = value as Node
  if (typeof node.relname === 'string') addRelation(node, scope, state)
  for (const [key, child] of Object.entries(node)) {
    // Node kinds are capitalised; lower-case keys are fields of the enclosing node.
    if (/^[A-Z]/.test(key)) visitNode(key, child as Node, scope, state)
    else if (key === 'larg' || key === 'rarg') visitSelect(child as Node, scope, state)
    else if (key === 'typeName') visitNode('TypeName', child as Node, scope, state)
    else visit(child, scope, state)
  }
}

function visitNode(kind: string, body: Node, scope: readonly string[], state: WalkState): void {
  if (!ALLOWED_NODES.has(kind)) refuse(`${kind.replace(/Stmt$/, '')} is not allowed in a read-only query`)
  switch (kind) {
    case 'SelectStmt':
      return visitSelect(body, scope, state)
    case 'FuncCall':
      checkFunction(body, state.options)
      break
    case 'A_Const':
      state.constants.push(constantValue(body))
      break
    case 'A_Expr':
      checkQualifiedName(body.name, 'operator')
      break
    case 'ParamRef':
      checkParam(body, state)
      break
    case 'SQLValueFunction':
      if (!ALLOWED_VALUE_FUNCTIONS.has(String(body.op))) refuse(`${String(body.op).replace('SVFOP_', '')} is not allowed`)
      break
    case 'TypeName':
      checkType(body)
      break
    case 'RangeTableSample':
      if (!SAMPLE_METHODS.has(nameOf(body.method).name)) refuse('only TABLESAMPLE BERNOULLI and SYSTEM are allowed')
      break
    case 'CollateClause':
      checkQualifiedName(body.collname, 'collation')
      break
  }
  visit(body, scope, state)
}

/** CTE names shadow tables: a non-recursive CTE sees the ones before it, a recursive one sees all of them. */
function visitSelect(select: Node, scope: readonly string[], state: WalkState): void {
  if (select.intoClause) refuse('SELECT INTO creates a table')
  if (select.lockingClause) refuse('FOR UPDATE/SHARE locks rows')
  const withClause = select.withClause as Node | undefined
  const ctes = ((withClause?.ctes as Node[] | undefined) ?? []).map((c) => c.CommonTableExpr as Node)
  const names = ctes.map((cte) => String(cte.ctename))
  const inner = [...scope, ...names]
  for (const [key, child] of Object.entries(select)) {
    if (key !== 'withClause') {
      visit({ [key]: child }, inner, state)
      continue
    }
    if (withClause?.recursive) state.recursiveClauses += 1
    ctes.forEach((cte, i) => {
      const queryKind = Object.keys(cte.ctequery as Node)[0]
      if (queryKind !== 'SelectStmt') refuse('data-modifying WITH queries are not allowed')
      visitNode('CommonTableExpr', cte, [...scope, ...(withClause?.recursive ? names : names.slice(0, i))], state)
    })
  }
}

function addRelation(ref: Node, scope: readonly string[], state: WalkState): void {
  const name = String(ref.relname)
  const schema = typeof ref.schemaname === 'string' ? ref.schemaname : null
  if (ref.catalogname) refuse('database-qualified names are not allowed')
  if (schema === null && scope.includes(name)) return
  if (schema !== null && !state.options.admin) refuse("schema-qualified table names are not allowed; write the dataset's table name alone")
  if (schema !== null && !schema.startsWith('ds_')) refuse('only dataset schemas (ds_…) may be named')
  state.relations.push({ schema, name, location: Number(ref.location ?? 0) })
}

function checkParam(param: Node, state: WalkState): void {
  const number = Number(param.number ?? 0)
  if (number < 1 || number > state.options.params) refuse(`$${number} has no bound value`)
  state.maxParam = Math.max(state.maxParam, number)
}
