export const ROLES = ['VIEWER', 'ANALYST', 'ADMIN'] as const
export type Role = (typeof ROLES)[number]

/** Who is asking: an API key, the bootstrap admin key, or the anonymous loopback admin. */
export interface Viewer {
  /** Stable owner id: an API key id, `admin` for PHERS_ADMIN_KEY, `anonymous` on loopback without keys. */
  id: string
  name: string
  role: Role
  anonymous: boolean
}

export const roleAtLeast = (viewer: Viewer, role: Role): boolean =>
  ROLES.indexOf(viewer.role) >= ROLES.indexOf(role)
