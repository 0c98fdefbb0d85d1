import type { ChatColumn } from './chat-column.ts'
import type { InterpretationItem, QueryPlan } from './chat-types.ts'
import type { DatasetValueIndex } from './dataset-value-index.ts'
import { isFollowUp, mergeFollowUp, type FollowUpKind } from './merge-follow-up.ts'
import { textWords, stemWord } from './normalize-text.ts'
import { parseQuestion, type ParsedQuestion } from './parse-question.ts'
import { STOPWORDS } from './question-lexicon.ts'

export interface Interpretation {
  parsed: ParsedQuestion
  plan: QueryPlan
  followUp: FollowUpKind
  interpretation: InterpretationItem[]
}

export interface InterpretInput {
  message: string
  datasetName: string
  columns: readonly ChatColumn[]
  index: DatasetValueIndex
  extraIndex?: DatasetValueIndex | null
  /** The previous turn's plan on the same dataset, if the conversation has one. */
  previous: QueryPlan | null
}

/** Question (+ previous turn) → plan. Pure and synchronous: this is the part timed by the bench. */
export const interpretQuestion = ({ message, datasetName, columns, index, extraIndex = null, previous }: InterpretInput): Interpretation => {
  // "it_assets" names rows by "asset"; "it" is a pronoun, not a row noun.
  const rowWords = textWords(datasetName).filter((w) => w.length >= 3 && !STOPWORDS.has(w)).map(stemWord)
  const parsed = parseQuestion({ question: message, columns, index, extraIndex, rowWords })
  if (!previous || parsed.plan.intent === 'unanswerable' || !isFollowUp(parsed)) {
    return { parsed, plan: parsed.plan, followUp: 'new', interpretation: parsed.interpretation }
  }
  const { plan, kind } = mergeFollowUp(previous, parsed)
  const reference: InterpretationItem = { phrase: message, kind: 'reference', column: null, value: null, operator: `follow-up: ${kind}` }
  return { parsed, plan, followUp: kind, interpretation: [reference, ...parsed.interpretation] }
}
