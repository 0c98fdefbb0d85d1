import { AppError } from '../../errors.ts'
import type { ApiKeyService } from './api-keys.ts'
import type { Viewer } from './viewer.ts'

/** Shares its id with the bootstrap admin and the CLI, so datasets loaded from the command line are its own. */
export const ANONYMOUS_ADMIN: Viewer = { id: 'admin', name: 'anonymous (loopback)', role: 'ADMIN', anonymous: true }

/** Who the command line acts as. */
export const LOCAL_ADMIN: Viewer = { id: 'admin', name: 'local admin (CLI)', role: 'ADMIN', anonymous: false }

/**
 * Turns an `Authorization` header (or graphql-ws connection param) into a viewer. Without a token the caller is
 * the anonymous admin only when the server allows it (no admin key and bound to loopback).
 */
export function createViewerResolver({ apiKeys, allowAnonymous }: { apiKeys: ApiKeyService; allowAnonymous: boolean }) {
  return async function resolveViewer(authorization: string | null | undefined): Promise<Viewer> {
    if (!authorization) {
      if (allowAnonymous) return ANONYMOUS_ADMIN
      throw new AppError('UNAUTHENTICATED', 'send an API key as "Authorization: Bearer <key>"')
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization)
    if (!match) throw new AppError('UNAUTHENTICATED', 'the Authorization header must be "Bearer <key>"')
    const viewer = await apiKeys.authenticate(match[1]!)
    if (!viewer) throw new AppError('UNAUTHENTICATED', 'this API key is unknown or revoked')
    return viewer
  }
}

export type ResolveViewer = ReturnType<typeof createViewerResolver>

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host)
}
