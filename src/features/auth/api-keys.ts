import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import type { Kysely } from 'kysely'
import { LRUCache } from 'lru-cache'
import { AppError } from '../../errors.ts'
import type { Role, Viewer } from './viewer.ts'

export interface ApiKeyRecord {
  id: string
  name: string
  role: Role
  prefix: string
  createdBy: string
  createdAt: Date
  revokedAt: Date | null
  lastUsedAt: Date | null
}

export interface ApiKeyService {
  /** The viewer for a bearer token, or null when the token is unknown or revoked. */
  authenticate(token: string): Promise<Viewer | null>
  /** Creates a key; the secret is returned once and only its hash is stored. */
  create(name: string, role: Role, createdBy: Viewer): Promise<ApiKeyRecord & { key: string }>
  revoke(id: string): Promise<ApiKeyRecord>
  /** The viewer an owner id stands for (the bootstrap admin or an unrevoked key), e.g. to re-run its statements. */
  viewerById(id: string): Promise<Viewer | null>
  list(): Promise<ApiKeyRecord[]>
}

export interface ApiKeyOptions {
  db: Kysely<any>
  /** PHERS_ADMIN_KEY: a bootstrap admin that is never stored. */
  adminKey: string | null
  /** How long a verified key is trusted without a lookup; revocation on another instance waits this long. */
  cacheMs?: number
}

// Keys carry 192 random bits, so a fast hash is safe here: there is nothing to brute-force as with passwords.
const hashKey = (key: string) => createHash('sha256').update(key).digest('hex')

const sameSecret = (a: string, b: string) => {
  const left = Buffer.from(hashKey(a))
  const right = Buffer.from(hashKey(b))
  return timingSafeEqual(left, right)
}

function toRecord(row: Record<string, any>): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.key_prefix,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
    revokedAt: row.revoked_at ? new Date(row.revoked_at) : null,
    lastUsedAt: row.last_used_at ? new Date(row.last_used_at) : null,
  }
}

export function createApiKeyService({ db, adminKey, cacheMs = 5_000 }: ApiKeyOptions): ApiKeyService {
  const verified = new LRUCache<string, Viewer>({ max: 10_000, ttl: cacheMs })
  const table = 'phers.api_keys'

  return {
    async authenticate(token) {
      if (adminKey && sameSecret(token, adminKey)) {
        return { id: 'admin', name: 'bootstrap admin', role: 'ADMIN', anonymous: false }
      }
      const hash = hashKey(token)
      const hit = verified.get(hash)
      if (hit) return hit
      const row = await db.selectFrom(table).selectAll().where('key_hash', '=', hash).where('revoked_at', 'is', null).executeTakeFirst()
      if (!row) return null
      const viewer: Viewer = { id: row.id, name: row.name, role: row.role, anonymous: false }
      verified.set(hash, viewer)
      return viewer
    },
    async create(name, role, createdBy) {
      const trimmed = name.trim()
      if (!trimmed || trimmed.length > 200) throw new AppError('BAD_INPUT', 'a key name needs 1 to 200 characters')
      const key = `phers_${randomBytes(24).toString('base64url')}`
      const row = await db
        .insertInto(table)
        .values({ id: randomUUID(), name: trimmed, role, key_hash: hashKey(key), key_prefix: key.slice(0, 12), created_by: createdBy.id })
        .returningAll()
        .executeTakeFirstOrThrow()
      return { ...toRecord(row), key }
    },
    async revoke(id) {
      const row = await db.updateTable(table).set({ revoked_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirst()
      if (!row) throw new AppError('NOT_FOUND', `no API key with id ${id}`)
      verified.delete(row.key_hash)
      return toRecord(row)
    },
    async viewerById(id) {
      if (id === 'admin') return { id: 'admin', name: 'admin', role: 'ADMIN', anonymous: false }
      const row = await db.selectFrom(table).selectAll().where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst()
      return row ? { id: row.id, name: row.name, role: row.role, anonymous: false } : null
    },
    async list() {
      const rows = await db.selectFrom(table).selectAll().orderBy('created_at').execute()
      return rows.map(toRecord)
    },
  }
}
