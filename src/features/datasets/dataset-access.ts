import { AppError } from '../../errors.ts'
import { roleAtLeast, type Viewer } from '../auth/viewer.ts'
import type { DatasetInfo } from './dataset-types.ts'

/** Admins see everything; everyone else their own datasets and the shared ones. */
export const canSee = (viewer: Viewer, dataset: DatasetInfo): boolean =>
  roleAtLeast(viewer, 'ADMIN') || dataset.ownerId === viewer.id || dataset.visibility === 'SHARED'

/** Changing or deleting: admins any dataset, analysts only their own, viewers none. */
export function assertCanModify(viewer: Viewer, dataset: DatasetInfo): void {
  if (roleAtLeast(viewer, 'ADMIN')) return
  if (roleAtLeast(viewer, 'ANALYST') && dataset.ownerId === viewer.id) return
  throw new AppError('FORBIDDEN', `you may not change dataset "${dataset.name}": only its owner or an admin can`)
}

export function assertCanUpload(viewer: Viewer): void {
  if (!roleAtLeast(viewer, 'ANALYST')) throw new AppError('FORBIDDEN', 'uploading datasets needs the ANALYST role')
}
