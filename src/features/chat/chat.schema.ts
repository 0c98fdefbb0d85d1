import { z } from 'zod'
import { AppError } from '../../errors.ts'
import type { AppContext } from '../../context.ts'
import { builder } from '../../schema/builder.ts'
import type { ColumnRole } from '../datasets/dataset-types.ts'
import { ResultColumnRef } from '../sql/sql.schema.ts'
import type { ChatAnswer, InterpretationItem } from './chat-types.ts'
import type { Chat } from './create-chat.ts'

declare module '../../services.ts' {
  interface Services {
    /** Natural-language questions over datasets (`createChat`); optional until `createApp` wires it. */
    chat?: Chat
  }
}

const ROLES = ['identifier', 'person_name', 'username', 'email', 'organization', 'product', 'category', 'location',
  'money', 'date', 'status', 'quantity', 'boolean', 'text'] as const satisfies readonly ColumnRole[]
const RoleInput = z.enum(ROLES)

const ChatIntentEnum = builder.enumType('ChatIntent', {
  values: ['LOOKUP', 'LIST', 'COUNT', 'AGGREGATE', 'GROUP', 'TOP', 'DISTINCT', 'COMPARE', 'UNANSWERABLE'] as const,
})

const InterpretationRef = builder.objectRef<InterpretationItem>('ChatInterpretation').implement({
  description: 'How one phrase of the question was read.',
  fields: (t) => ({
    phrase: t.exposeString('phrase'),
    kind: t.exposeString('kind', { description: '`column`, `value`, `operator`, `group`, `order`, `limit`, `measure`, `dataset` or `reference`.' }),
    column: t.exposeString('column', { nullable: true }),
    value: t.exposeString('value', { nullable: true }),
    operator: t.exposeString('operator', { nullable: true }),
  }),
})

const ChatAnswerRef = builder.objectRef<ChatAnswer>('ChatAnswer').implement({
  description: 'An answer in plain words with the SQL that produced it; nothing is stated that the data does not hold.',
  fields: (t) => ({
    answer: t.exposeString('answer'),
    sql: t.exposeString('sql', { nullable: true, description: 'The statement run, with `$n` parameters; null when no column could answer.' }),
    params: t.field({ type: ['JSON'], resolve: (a) => a.params }),
    columns: t.field({ type: [ResultColumnRef], resolve: (a) => a.columns }),
    rows: t.field({ type: ['JSON'], description: 'Rows as arrays in column order.', resolve: (a) => a.rows }),
    intent: t.field({ type: ChatIntentEnum, resolve: (a) => a.intent.toUpperCase() as never }),
    interpretation: t.field({ type: [InterpretationRef], resolve: (a) => a.interpretation }),
    confidence: t.exposeFloat('confidence'),
    alternatives: t.exposeStringList('alternatives', { description: 'Other readings when the question was ambiguous.' }),
    conversationId: t.exposeID('conversationId', { description: 'Send it back to ask follow-ups ("how about Acer?").' }),
    datasetId: t.exposeID('datasetId', { nullable: true }),
    cached: t.exposeBoolean('cached', { description: 'True when the rows came from the query cache.' }),
    cacheLevel: t.exposeString('cacheLevel', { nullable: true, description: '`L1` (process memory) or `L2` (Redis) on a hit.' }),
  }),
})

const chatService = (ctx: AppContext): Chat => {
  if (!ctx.services.chat) throw new AppError('UNAVAILABLE', 'chat is not available on this server')
  return ctx.services.chat
}

const ColumnRoleUpdateRef = builder.simpleObject('ColumnRoleUpdate', {
  fields: (t) => ({
    datasetId: t.id(),
    column: t.string(),
    role: t.string(),
    roleConfidence: t.float(),
  }),
})

builder.queryField('chat', (t) =>
  t.field({
    type: ChatAnswerRef,
    description: 'Answers a question about your datasets in plain English; without datasetId it picks the dataset that fits best.',
    authScopes: { viewer: true },
    args: {
      message: t.arg.string({ required: true }),
      conversationId: t.arg.id(),
      datasetId: t.arg.id(),
    },
    resolve: (_root, args, ctx) => chatService(ctx).ask({ message: args.message, viewer: ctx.viewer, signal: ctx.signal,
      conversationId: args.conversationId ? String(args.conversationId) : null, datasetId: args.datasetId ? String(args.datasetId) : null }),
  }),
)

builder.mutationField('setColumnRole', (t) =>
  t.field({
    type: ColumnRoleUpdateRef,
    description: `Corrects a column's semantic role (${ROLES.join(', ')}); chat uses it from the next question.`,
    authScopes: { analyst: true },
    args: {
      datasetId: t.arg.id({ required: true }),
      column: t.arg.string({ required: true }),
      role: t.arg.string({ required: true }),
    },
    resolve: async (_root, args, ctx) => {
      const role = RoleInput.safeParse(args.role)
      if (!role.success) throw new AppError('BAD_INPUT', `role must be one of ${ROLES.join(', ')}`)
      const column = await chatService(ctx).setColumnRole({ datasetId: String(args.datasetId), column: args.column,
        role: role.data, viewer: ctx.viewer })
      return { datasetId: column.datasetId, column: column.name, role: column.role ?? role.data, roleConfidence: column.roleConfidence }
    },
  }),
)
