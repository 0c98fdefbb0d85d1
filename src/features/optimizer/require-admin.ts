import { AppError } from '../../errors.ts'
import { roleAtLeast, type Viewer } from '../auth/viewer.ts'

/** Index changes alter every user's performance and the disk they share: admins only. */
export function requireAdmin(viewer: Viewer): void {
  if (!roleAtLeast(viewer, 'ADMIN')) throw new AppError('FORBIDDEN', 'Only admins may change indexes')
}
