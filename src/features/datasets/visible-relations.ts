import type { Kysely } from 'kysely'
import { roleAtLeast, type Viewer } from '../auth/viewer.ts'
import type { VisibleDataset } from '../sql/relation-matcher.ts'

/**
 * The datasets a viewer may read among those whose table name is in `names`: one catalog query per statement.
 * Admins see every dataset; others their own and the shared ones.
 */
export function createVisibleRelations(db: Kysely<any>) {
  return async function resolveRelations(viewer: Viewer, names: string[]): Promise<VisibleDataset[]> {
    if (names.length === 0) return []
    let query = db
      .selectFrom('phers.datasets')
      .select(['id', 'table_name', 'schema_name', 'version'])
      .where('table_name', 'in', names)
    if (!roleAtLeast(viewer, 'ADMIN')) {
      query = query.where((eb) => eb.or([eb('owner_id', '=', viewer.id), eb('visibility', '=', 'SHARED')]))
    }
    const rows = await query.execute()
    return rows.map((r) => ({ id: r.id, tableName: r.table_name, schema: r.schema_name, version: Number(r.version) }))
  }
}
