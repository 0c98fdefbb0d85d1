import { sql, type Kysely } from 'kysely'
import { claimUnique } from './column-names.ts'
import { takenTableNames } from './dataset-catalog.ts'
import { MAX_IDENTIFIER_BYTES, reservedNames, snakeCase, truncateBytes } from './sql-names.ts'

/**
 * The table name users type in `FROM`: the dataset name in snake_case (`Sales 2024.csv` → `sales_2024`), safe
 * from keywords and leading digits, unique for the owner and within the schema that will hold it.
 */
export async function chooseTableName(db: Kysely<any>, ownerId: string, schema: string, datasetName: string): Promise<string> {
  let base = snakeCase(datasetName) || 'dataset'
  // `pg_` names belong to the system catalog by convention; a leading digit needs quoting.
  if (/^\p{N}/u.test(base) || base.startsWith('pg_')) base = `t_${base}`
  base = truncateBytes(base, MAX_IDENTIFIER_BYTES - 6)
  if ((await reservedNames([base])).has(base) || (await isBuiltinTypeName(db, base))) base = `${base}_`
  return claimUnique(base, await takenTableNames(db, ownerId, schema, base))
}

/**
 * User SQL resolves names through the dataset schemas before pg_catalog, so a table called `date` or `json`
 * would shadow the type in casts such as `x::date`.
 */
async function isBuiltinTypeName(db: Kysely<any>, name: string): Promise<boolean> {
  const { rows } = await sql`SELECT 1 FROM pg_type WHERE typname = ${name} AND typnamespace = 'pg_catalog'::regnamespace`.execute(db)
  return rows.length > 0
}

/** Dataset name from a file name when none is given: `Q3 sales.csv` → `Q3 sales`. */
export const datasetNameFromFile = (fileName: string): string => fileName.replace(/^.*[\\/]/, '').replace(/\.(csv|tsv|txt)$/i, '').trim()
