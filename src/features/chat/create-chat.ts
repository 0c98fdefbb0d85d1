import type { Kysely } from 'kysely'
import type { Viewer } from '../auth/viewer.ts'
import type { ColumnInfo, ColumnRole, DatasetInfo } from '../datasets/dataset-types.ts'
import type { SqlRunner } from '../sql/sql-types.ts'
import { AppError } from '../../errors.ts'
import { buildSql } from './build-sql.ts'
import { toChatColumns, type ChatColumn } from './chat-column.ts'
import type { ChatLogger } from './chat-logger.ts'
import type { AskInput, ChatAnswer, ChatCatalog, QueryPlan } from './chat-types.ts'
import { createConversationStore } from './conversation-store.ts'
import { createValueIndex, type ValueIndex } from './create-value-index.ts'
import { interpretQuestion, type Interpretation } from './interpret-question.ts'
import { buildLlmPrompt, LLM_SYSTEM_PROMPT } from './llm-prompt.ts'
import type { LlmProvider } from './llm-provider.ts'
import { validateLlmSql } from './validate-llm-sql.ts'
import { wordAnswer } from './word-answer.ts'

export interface ChatOptions {
  /** Catalog database: conversations live in `phers.chat_conversations`; the value index reads dataset tables. */
  db: Kysely<any>
  catalog: ChatCatalog
  runner: SqlRunner
  /** Optional model; null uses the built-in parser only. */
  llm: LlmProvider | null
  logger: ChatLogger
  clock?: () => Date
  /** Default: an index over `db` (see `createValueIndex`). */
  valueIndex?: ValueIndex
  /** Conversation lifetime; default 24 h. */
  conversationTtlMs?: number
  /** Rows returned per answer; default 200. */
  maxRows?: number
  /** How often expired conversations are deleted; default 1 h, 0 disables. */
  purgeIntervalMs?: number
}

export interface Chat {
  ask(input: AskInput): Promise<ChatAnswer>
  /** Corrects a column's role; the next question already uses it. */
  setColumnRole(input: { datasetId: string; column: string; role: ColumnRole; viewer: Viewer }): Promise<ColumnInfo>
  valueIndex: ValueIndex
  stop(): void
}

const MAX_MESSAGE = 1000
/** Datasets tried when a question names none; the best fit answers. */
const MAX_CANDIDATES = 25

interface Prepared {
  dataset: DatasetInfo
  columns: ColumnInfo[]
  chatColumns: ChatColumn[]
  interpretation: Interpretation
}

export const createChat = ({ db, catalog, runner, llm, logger, clock = () => new Date(), valueIndex,
  conversationTtlMs, maxRows = 200, purgeIntervalMs = 3_600_000 }: ChatOptions): Chat => {
  const index = valueIndex ?? createValueIndex({ db })
  const conversations = createConversationStore({ db, clock, ...(conversationTtlMs ? { ttlMs: conversationTtlMs } : {}) })
  const purge = () => conversations.purgeExpired().catch((error: Error) => logger.warn({ error: error.message }, 'chat: purge failed'))
  const purgeTimer = purgeIntervalMs > 0 ? setInterval(purge, purgeIntervalMs) : null
  purgeTimer?.unref()

  const prepare = async (dataset: DatasetInfo, message: string, previous: QueryPlan | null): Promise<Prepared> => {
    const columns = await catalog.columns(dataset.id)
    const chatColumns = toChatColumns(columns, dataset.rowCount)
    const values = await index.get(dataset, columns)
    const input = { message, datasetName: dataset.name, columns: chatColumns, index: values, previous }
    const first = interpretQuestion(input)
    // Words the in-memory index could not place may be values of a high-cardinality column: ask SQL once.
    const extraIndex = first.parsed.unknownPhrases.length > 0 ? await index.searchLarge(dataset, columns, first.parsed.unknownPhrases) : null
    const interpretation = extraIndex ? interpretQuestion({ ...input, extraIndex }) : first
    return { dataset, columns, chatColumns, interpretation }
  }

  const chooseDataset = async (viewer: Viewer, message: string) => {
    const datasets = (await catalog.listDatasets(viewer)).slice(0, MAX_CANDIDATES)
    if (datasets.length === 0) throw new AppError('NOT_FOUND', 'There is no dataset to ask about yet; upload a CSV first.')
    const prepared = await Promise.all(datasets.map((d) => prepare(d, message, null)))
    return prepared.sort((a, b) => b.interpretation.parsed.fit - a.interpretation.parsed.fit)[0]!
  }

  const tryLlm = async (prepared: Prepared, message: string, signal?: AbortSignal) => {
    if (!llm) return null
    try {
      const proposal = await llm.proposeSql({ system: LLM_SYSTEM_PROMPT,
        prompt: buildLlmPrompt(message, prepared.dataset, prepared.columns, prepared.chatColumns), ...(signal ? { signal } : {}) })
      if (!proposal) return null
      const validated = await validateLlmSql(proposal, prepared.dataset.tableName, new Set(prepared.columns.map((c) => c.name)))
      if ('rejected' in validated) {
        logger.warn({ reason: validated.rejected }, 'chat: model SQL rejected, using the built-in parser')
        return null
      }
      return validated
    } catch (error) {
      logger.warn({ error: (error as Error).message }, 'chat: model failed, using the built-in parser')
      return null
    }
  }

  const unanswerable = (prepared: Prepared, conversationId: string): ChatAnswer => {
    const { parsed } = prepared.interpretation
    const has = prepared.chatColumns.map((c) => c.label).join(', ')
    return {
      answer: `This dataset has no column for ${parsed.missingAttribute ?? 'that'}; it has ${has}.`,
      sql: null, params: [], columns: [], rows: [], intent: 'unanswerable', interpretation: parsed.interpretation,
      confidence: parsed.confidence, alternatives: [], conversationId, datasetId: prepared.dataset.id,
      cached: false, cacheLevel: null,
    }
  }

  const ask = async ({ message, conversationId = null, datasetId = null, viewer, signal }: AskInput): Promise<ChatAnswer> => {
    const text = message.trim()
    if (text === '' || text.length > MAX_MESSAGE) throw new AppError('BAD_INPUT', `message must be 1..${MAX_MESSAGE} characters`)
    const conversation = conversationId ? await conversations.load(conversationId, viewer.id) : null
    const chosenId = datasetId ?? conversation?.datasetId ?? null
    let prepared: Prepared
    let picked = false
    if (chosenId) {
      const dataset = await catalog.getDataset(chosenId, viewer)
      if (!dataset) throw new AppError('NOT_FOUND', `dataset ${chosenId} not found`)
      const previous = conversation && conversation.datasetId === dataset.id ? conversation.plan : null
      prepared = await prepare(dataset, text, previous)
    } else {
      prepared = await chooseDataset(viewer, text)
      picked = true
    }
    const { interpretation, dataset } = prepared
    const plan = interpretation.plan
    // A question no column answers leaves the conversation's last reading in place for the next follow-up.
    const remembered = plan.intent === 'unanswerable' && conversation ? conversation : { datasetId: dataset.id, plan, question: text }
    const id = await conversations.save(conversationId, viewer.id, remembered)
    if (plan.intent === 'unanswerable') return unanswerable(prepared, id)
    const llmSql = await tryLlm(prepared, text, signal)
    const built = llmSql ?? buildSql(plan, dataset.tableName, new Set(prepared.columns.map((c) => c.name)))
    const result = await runner.run({ sql: built.sql, params: built.params, viewer, source: 'chat', first: maxRows,
      ...(signal ? { signal } : {}) })
    const byName = new Map(prepared.chatColumns.map((c) => [c.name, c]))
    const notes = [...interpretation.parsed.notes, ...(picked ? [`(Answered from dataset “${dataset.name}”.)`] : [])]
    const answer = llmSql ? `Ran the model's query: ${result.rowCount} row${result.rowCount === 1 ? '' : 's'}.${notes.length ? ` ${notes.join(' ')}` : ''}`
      : wordAnswer({ plan, columns: byName, result, notes, rowNoun: interpretation.parsed.rowNoun })
    logger.info({ datasetId: dataset.id, intent: plan.intent, followUp: interpretation.followUp, llm: Boolean(llmSql) }, 'chat answered')
    return {
      answer, sql: built.sql, params: built.params, columns: result.columns, rows: result.rows, intent: plan.intent,
      interpretation: picked ? [{ phrase: dataset.name, kind: 'dataset', column: null, value: dataset.id, operator: null },
        ...interpretation.interpretation] : interpretation.interpretation,
      confidence: llmSql ? Math.min(0.9, interpretation.parsed.confidence + 0.1) : interpretation.parsed.confidence,
      alternatives: interpretation.parsed.alternatives, conversationId: id, datasetId: dataset.id,
      cached: result.cached, cacheLevel: result.cacheLevel,
    }
  }

  return {
    ask,
    setColumnRole: async ({ datasetId, column, role, viewer }) => {
      const dataset = await catalog.getDataset(datasetId, viewer)
      if (!dataset) throw new AppError('NOT_FOUND', `dataset ${datasetId} not found`)
      const columns = await catalog.columns(datasetId)
      if (!columns.some((c) => c.name === column)) throw new AppError('BAD_INPUT', `dataset has no column ${column}`)
      return catalog.setColumnRole(datasetId, column, role, viewer)
    },
    valueIndex: index,
    stop: () => {
      if (purgeTimer) clearInterval(purgeTimer)
      index.stop()
    },
  }
}
