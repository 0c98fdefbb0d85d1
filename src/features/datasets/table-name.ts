import type { Kysely } from 'kysely'
import { claimUnique } from './column-names.ts'
import { takenTableNames } from './dataset-catalog.ts'
import { MAX_IDENTIFIER_BYTES, reservedNames, snakeCase, truncateBytes } from './sql-names.ts'

/**
 * The table name users type in `FROM`: the dataset name in snake_case (`Sales 2024.csv` → `sales_2024`), safe
 * from keywords and leading digits, unique for the owner and within the schema that will hold it.
 */
export async function chooseTableName(db: Kysely<any>, ownerId: string, schema: string, datasetName: string): Promise<string> {
  let base = snakeCase(datasetName) || 'dataset'
  if (/^\p{N}/u.test(base)) base = `t_${base}`
  base = truncateBytes(base, MAX_IDENTIFIER_BYTES - 6)
  if ((await reservedNames([base])).has(base)) base = `${base}_`
  return claimUnique(base, await takenTableNames(db, ownerId, schema, base))
}

/** Dataset name from a file name when none is given: `Q3 sales.csv` → `Q3 sales`. */
export const datasetNameFromFile = (fileName: string): string => fileName.replace(/^.*[\\/]/, '').replace(/\.(csv|tsv|txt)$/i, '').trim()
