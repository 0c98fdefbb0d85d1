/** A relation the statement reads, as written (`schema` only when qualified, which only admins may do). */
export interface RelationRef {
  schema: string | null
  name: string
  /** Character offset in the SQL text, for error messages. */
  location: number
}

/** What the guard learned about a statement it accepted. */
export interface GuardedStatement {
  /** libpg-query fingerprint: equal for spellings that differ in whitespace, keyword case, comments or constants. */
  fingerprint: string
  /**
   * Hash of the parse tree without positions: unlike the fingerprint it tells apart column aliases, select-list
   * order and cast targets, so a cache keyed on it never serves a result with the wrong columns.
   */
  shape: string
  /** Literal constants in order of appearance (the fingerprint ignores them). */
  constants: unknown[]
  relations: RelationRef[]
  /** Highest `$n` referenced (0 when none). */
  maxParam: number
  recursive: boolean
  /** The single statement's own text, without surrounding `;`: what the executor wraps in a cursor. */
  text: string
}

export interface GuardOptions {
  /** Number of bound parameters; `$n` beyond it is refused. */
  params: number
  /** Admins may qualify tables with a `ds_*` schema; everyone else writes bare table names. */
  admin: boolean
  /**
   * PGlite cannot interrupt a running statement, so recursive CTEs are allowed there only when the outer query
   * visibly stops early (see `recursion-bound.ts`).
   */
  embedded: boolean
  /** Row limit a bounded recursive query must stay under on the embedded database. */
  maxResultRows: number
}
