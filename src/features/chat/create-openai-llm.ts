import { z } from 'zod'
import type { LlmProvider } from './llm-provider.ts'

export interface OpenAiLlmOptions {
  /** Base URL of an OpenAI-compatible API (…/v1) or the full chat completions URL. */
  url: string
  model: string
  key?: string | null
  /** Default 15 s. */
  timeoutMs?: number
  fetch?: typeof globalThis.fetch
}

const Completion = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
})

/** The statement inside a reply: a ```sql fence if present, else the whole reply up to a semicolon. */
export const extractSql = (content: string): string | null => {
  const fenced = /```(?:sql)?\s*([\s\S]*?)```/i.exec(content)
  const text = (fenced ? fenced[1]! : content).trim().replace(/;\s*$/, '')
  return /^\s*(select|with)\b/i.test(text) ? text : null
}

/** An OpenAI-compatible chat completions client that asks for one SQL statement. */
export const createOpenAiLlm = ({ url, model, key = null, timeoutMs = 15_000, fetch = globalThis.fetch }: OpenAiLlmOptions): LlmProvider => {
  const endpoint = /\/chat\/completions\/?$/.test(url) ? url : `${url.replace(/\/$/, '')}/chat/completions`
  return {
    async proposeSql({ system, prompt, signal }) {
      const timeout = AbortSignal.timeout(timeoutMs)
      const request = () => fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ model, temperature: 0, messages: [{ role: 'system', content: system }, { role: 'user', content: prompt }] }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      })
      // One retry for a connection the server closed while idle (keep-alive race); aborts are not retried.
      const response = await request().catch((error: unknown) => {
        if (timeout.aborted || signal?.aborted) throw error
        return request()
      })
      if (!response.ok) return null
      const parsed = Completion.safeParse(await response.json())
      const content = parsed.success ? parsed.data.choices[0]!.message.content : null
      return content ? extractSql(content) : null
    },
  }
}
