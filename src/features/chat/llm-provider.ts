/** An optional language model that proposes SQL; PHERS validates whatever it returns. */
export interface LlmProvider {
  /** SQL text, or null when the model declines or fails. */
  proposeSql(input: { system: string; prompt: string; signal?: AbortSignal }): Promise<string | null>
}
