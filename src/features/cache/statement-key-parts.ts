import { createHash } from 'node:crypto'
import { fingerprint, parse } from 'libpg-query'
import { canonicalJson } from './canonical-json.ts'
import { constantValue } from '../sql/guard-checks.ts'

export interface StatementKeyParts {
  /** libpg-query fingerprint: groups statements for stats and the workload record. */
  fingerprint: string
  /**
   * Hash of the parse tree without source positions: equal for spellings that differ only in whitespace,
   * keyword case or comments, different for anything that can change the result. The fingerprint alone is not
   * enough for a cache: it ignores column aliases, select-list order and casts (`SELECT '1'::int` and
   * `SELECT '1'::text` share one), which would serve a result with the wrong columns.
   */
  shape: string
  /** Literal constants in order of appearance. */
  constants: unknown[]
}

// Positions change with whitespace and comments but never with meaning.
const POSITION_FIELDS = new Set(['location', 'stmt_location', 'stmt_len'])

/** Key parts for one SQL text; throws libpg-query's syntax error for text that does not parse. */
export async function statementKeyParts(sqlText: string): Promise<StatementKeyParts> {
  const [tree, print] = await Promise.all([parse(sqlText), fingerprint(sqlText)])
  const constants: unknown[] = []
  const positionFree = walk(tree, constants)
  return {
    fingerprint: print,
    shape: createHash('sha256').update(canonicalJson(positionFree)).digest('base64url'),
    constants,
  }
}

function walk(node: unknown, constants: unknown[]): unknown {
  if (Array.isArray(node)) return node.map((item) => walk(item, constants))
  if (node === null || typeof node !== 'object') return node
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node)) {
    if (POSITION_FIELDS.has(key)) continue
    if (key === 'A_Const') constants.push(constantValue(value as Record<string, unknown>))
    out[key] = walk(value, constants)
  }
  return out
}

