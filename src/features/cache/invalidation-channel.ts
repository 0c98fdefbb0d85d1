import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import { UNAVAILABLE, type L2Store } from './l2-store.ts'

/** A generation moved forward somewhere: `name` is a dataset id or the global generation. */
export interface InvalidationMessage {
  origin: string
  name: string
  generation: number
}

export interface InvalidationChannel {
  /** True when Redis took the message; false when peers will only learn of it on their next resync. */
  publish(name: string, generation: number): Promise<boolean>
  stop(): Promise<void>
}

/**
 * Redis pub/sub between instances. Messages can be lost while a subscriber is disconnected, so every
 * (re)subscription triggers `onResync`, which re-reads the generations from Redis.
 */
export function createInvalidationChannel(deps: {
  l2: L2Store
  subscriber: Redis
  channel: string
  instanceId: string
  logger: Logger
  onMessage: (message: InvalidationMessage) => void
  onResync: () => Promise<void>
}): InvalidationChannel {
  const { l2, subscriber, channel, instanceId, logger, onMessage, onResync } = deps

  const handleMessage = (from: string, text: string) => {
    if (from !== channel) return
    const message = parseMessage(text)
    if (!message) {
      logger.warn({ channel }, 'ignored a malformed cache invalidation message')
      return
    }
    if (message.origin !== instanceId) onMessage(message)
  }
  const subscribe = () =>
    subscriber.subscribe(channel).catch((err: unknown) => logger.warn({ err, channel }, 'cache channel subscribe failed'))
  // 'ready' ends a gap in which messages were missed. ioredis re-subscribes by itself, but only to channels whose
  // first SUBSCRIBE succeeded, so subscribing again (idempotent) covers a start while Redis was down.
  const handleReady = () => {
    void subscribe()
    onResync().catch((err: unknown) => logger.warn({ err }, 'cache generation resync failed'))
  }

  subscriber.on('message', handleMessage)
  subscriber.on('ready', handleReady)
  void subscribe()

  return {
    async publish(name, generation) {
      const message: InvalidationMessage = { origin: instanceId, name, generation }
      return (await l2.publish(channel, JSON.stringify(message))) !== UNAVAILABLE
    },
    async stop() {
      subscriber.off('message', handleMessage)
      subscriber.off('ready', handleReady)
      if (subscriber.status === 'ready') await subscriber.unsubscribe(channel).catch(() => undefined)
    },
  }
}

function parseMessage(text: string): InvalidationMessage | null {
  try {
    const value = JSON.parse(text) as Partial<InvalidationMessage>
    const valid =
      typeof value.origin === 'string' && typeof value.name === 'string' && Number.isSafeInteger(value.generation)
    return valid ? (value as InvalidationMessage) : null
  } catch {
    return null
  }
}
