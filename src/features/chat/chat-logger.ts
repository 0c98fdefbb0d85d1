/** The logging the chat needs; a pino logger fits. */
export interface ChatLogger {
  info(details: Record<string, unknown>, message: string): void
  warn(details: Record<string, unknown>, message: string): void
}
