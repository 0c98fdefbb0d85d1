import { builder } from '../../schema/builder.ts'
import { ROLES, type Role, type Viewer } from './viewer.ts'
import type { ApiKeyRecord } from './api-keys.ts'

export const RoleEnum = builder.enumType('Role', {
  description: 'What a key may do: viewer < analyst < admin.',
  values: ROLES,
})

const ApiKey = builder.objectRef<ApiKeyRecord>('ApiKey').implement({
  description: 'An API key; the secret itself is never shown again after creation.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    role: t.field({ type: RoleEnum, resolve: (k) => k.role }),
    prefix: t.exposeString('prefix', { description: 'First characters of the key, to recognise it.' }),
    createdAt: t.field({ type: 'DateTime', resolve: (k) => k.createdAt }),
    revokedAt: t.field({ type: 'DateTime', nullable: true, resolve: (k) => k.revokedAt }),
  }),
})

const CreatedApiKey = builder.objectRef<ApiKeyRecord & { key: string }>('CreatedApiKey').implement({
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The secret. Shown once: store it now.' }),
    apiKey: t.field({ type: ApiKey, resolve: (k) => k }),
  }),
})

const ViewerRef = builder.objectRef<Viewer>('Viewer').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    role: t.field({ type: RoleEnum, resolve: (v) => v.role }),
    anonymous: t.exposeBoolean('anonymous'),
  }),
})

builder.queryFields((t) => ({
  viewer: t.field({
    type: ViewerRef,
    description: 'Who the server thinks you are.',
    resolve: (_root, _args, ctx) => ctx.viewer,
  }),
  apiKeys: t.field({
    type: [ApiKey],
    authScopes: { admin: true },
    resolve: (_root, _args, ctx) => ctx.services.apiKeys.list(),
  }),
}))

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreatedApiKey,
    authScopes: { admin: true },
    args: { name: t.arg.string({ required: true }), role: t.arg({ type: RoleEnum, required: true }) },
    resolve: async (_root, args, ctx) => {
      const created = await ctx.services.apiKeys.create(args.name, args.role as Role, ctx.viewer)
      ctx.services.activity?.record({ actor: ctx.viewer.id, action: 'api_key.created', subject: created.id, detail: { role: created.role } })
      return created
    },
  }),
  revokeApiKey: t.field({
    type: ApiKey,
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const revoked = await ctx.services.apiKeys.revoke(String(args.id))
      ctx.services.activity?.record({ actor: ctx.viewer.id, action: 'api_key.revoked', subject: revoked.id, detail: {} })
      return revoked
    },
  }),
}))
