import pino, { type Logger } from 'pino'
import type { Config } from '../config.ts'

export type { Logger }

/** JSON logs on stdout; request-scoped children carry `requestId`. */
export function createLogger(level: Config['logLevel']): Logger {
  return pino({ level, base: { service: 'phers' }, redact: ['req.headers.authorization', '*.key', '*.password'] })
}
