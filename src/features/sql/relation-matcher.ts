import { AppError } from '../../errors.ts'
import type { Viewer } from '../auth/viewer.ts'
import type { RelationRef } from './guarded-statement.ts'

/** A dataset table the viewer may read. */
export interface VisibleDataset {
  id: string
  tableName: string
  schema: string
  version: number
}

/**
 * Supplied by the datasets service: every dataset the viewer may read whose table name is in `names`, from any
 * schema (several may share a name; the matcher picks by search path or by the schema the admin wrote).
 */
export type ResolveRelations = (viewer: Viewer, names: string[]) => Promise<VisibleDataset[]>

/**
 * Maps each relation the statement names to the dataset PostgreSQL will read, following the same search path
 * the executor pins. A name the viewer may not see fails exactly like one that does not exist.
 */
export function matchRelations(refs: readonly RelationRef[], visible: readonly VisibleDataset[], searchPath: readonly string[]): VisibleDataset[] {
  const matched = new Map<string, VisibleDataset>()
  for (const ref of refs) {
    const candidates = visible.filter((d) => d.tableName === ref.name)
    const found = ref.schema === null
      ? searchPath.map((schema) => candidates.find((d) => d.schema === schema)).find((d) => d !== undefined)
      : candidates.find((d) => d.schema === ref.schema)
    if (!found) {
      const written = ref.schema === null ? ref.name : `${ref.schema}.${ref.name}`
      throw new AppError('SQL_ERROR', `relation "${written}" does not exist`, { sqlState: '42P01', position: ref.location + 1 })
    }
    matched.set(found.id, found)
  }
  return [...matched.values()]
}
