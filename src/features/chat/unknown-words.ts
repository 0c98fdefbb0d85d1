import type { ColumnRole } from '../datasets/dataset-types.ts'
import { firstOfRole, item, markUsed, norm, phraseOf, type State } from './parse-state.ts'
import { COMMON_WORDS, NEGATIONS, PRONOUNS, ROW_NOUNS, STOPWORDS } from './question-lexicon.ts'
import { ROLE_CUES } from './role-lexicon.ts'
import type { Token } from './tokenize-question.ts'

export interface WordRun {
  start: number
  end: number
}

/** Question words no column, value or grammar explains. */
export const unknownRuns = (state: State) => {
  const runs: WordRun[] = []
  const known = (t: Token) => state.used.has(t.index) || t.kind !== 'word' || STOPWORDS.has(t.norm) || ROW_NOUNS.has(t.norm)
    || COMMON_WORDS.has(t.norm) || COMMON_WORDS.has(t.stem) || ROLE_CUES[t.norm] !== undefined || state.cues.used.has(t.index)
    || (state.input.rowWords ?? []).includes(t.stem) || t.norm.length < 3 || NEGATIONS.has(t.norm) || PRONOUNS.has(t.norm)
  for (const t of state.tokens) {
    if (known(t)) continue
    const last = runs.at(-1)
    if (last && last.end === t.index) last.end++
    else runs.push({ start: t.index, end: t.index + 1 })
  }
  return runs
}

/** "battery health of IT-7781": an attribute asked of a linked entity that no column holds. */
export const findMissingAttribute = (state: State, runs: readonly WordRun[]) => {
  if (state.targets.length > 0 || state.aggregateColumn || state.rankColumn || state.cues.count || state.cues.aggregate
    || state.cues.superlative) return null
  for (const run of runs) {
    const after = norm(state, run.end)
    const entityAfter = ['of', 'for', 'on'].includes(after)
      && (state.values.some((v) => v.start === run.end + 1) || PRONOUNS.has(norm(state, run.end + 1))
        || ['the', 'this', 'that'].includes(norm(state, run.end + 1)))
    // "IT-7781 battery health": a trailing attribute after the entity.
    const entityBefore = state.values.some((v) => v.end === run.start) && run.end === state.tokens.length
    if (entityAfter || entityBefore) return phraseOf(state, run.start, run.end)
  }
  return null
}

/** "devices in Narnia": a proper name no column holds is filtered truthfully and reported as not found. */
export const placeUnknownValues = (state: State, runs: readonly WordRun[]) => {
  for (const run of runs) {
    const before = norm(state, run.start - 1)
    const capitalized = state.tokens[run.start]!.capitalized
    const roles: ColumnRole[] | null = ['in', 'at', 'near'].includes(before) ? ['location', 'organization', 'category']
      : ['from', 'by'].includes(before) ? ['organization', 'person_name', 'location']
        : capitalized ? ['person_name', 'organization', 'location'] : null
    const column = roles && firstOfRole(state, roles)
    if (!column) continue
    const phrase = phraseOf(state, run.start, run.end)
    state.filters.push([{ column: column.name, op: 'eq', values: [phrase], phrase, unknownValue: true }])
    state.items.push(item(phrase, 'value', column.name, phrase, '='))
    state.notes.push(`“${phrase}” was not found among the ${column.label} values.`)
    markUsed(state, run.start, run.end)
  }
}
