import { Redis } from 'ioredis'
import type { Logger } from './logger.ts'

export interface RedisClients {
  /** Commands (cache L2, locks, publish). */
  command: Redis
  /** Subscriber connection for pub/sub (a subscribed connection cannot run other commands). */
  subscriber: Redis
  /** Publisher for the GraphQL event target, kept apart so a busy cache never delays events. */
  publisher: Redis
  stop(): Promise<void>
}

/**
 * Opens the Redis connections PHERS uses. Commands fail fast while Redis is down (no offline queue) so
 * callers fall back to L1 and the database instead of waiting; ioredis reconnects on its own.
 */
export function createRedisClients(url: string, logger: Logger): RedisClients {
  const open = (name: string) => {
    const client = new Redis(url, {
      connectionName: `phers-${name}`,
      enableOfflineQueue: name === 'subscriber',
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      retryStrategy: (times) => Math.min(times * 200, 2_000),
      lazyConnect: false,
    })
    client.on('error', (error) => logger.debug({ err: error, client: name }, 'redis error'))
    return client
  }
  const command = open('command')
  const subscriber = open('subscriber')
  const publisher = open('publisher')
  return {
    command,
    subscriber,
    publisher,
    stop: async () => {
      await Promise.allSettled([command.quit(), subscriber.quit(), publisher.quit()])
      command.disconnect()
      subscriber.disconnect()
      publisher.disconnect()
    },
  }
}
