import type { Server } from 'node:http'
import type { ExecutionArgs } from 'graphql'
import { useServer } from 'graphql-ws/use/ws'
import type { YogaServerInstance } from 'graphql-yoga'
import { WebSocketServer } from 'ws'

export interface GraphqlWsServer {
  /** Open subscriptions right now (telemetry reads it). */
  openSubscriptions(): number
  stop(): Promise<void>
}

type EnvelopedArgs = ExecutionArgs & { rootValue: { execute: (a: ExecutionArgs) => unknown; subscribe: (a: ExecutionArgs) => unknown } }

/**
 * graphql-ws on the same path as HTTP GraphQL. Every operation goes through `yoga.getEnveloped`, so WebSocket
 * operations pass the same plugins (auth via connection params, limits, telemetry) as HTTP ones.
 */
export function attachGraphqlWs(server: Server, yoga: YogaServerInstance<any, any>, path: string): GraphqlWsServer {
  const wss = new WebSocketServer({ server, path })
  let open = 0
  const disposable = useServer<Record<string, unknown>, { request: import('node:http').IncomingMessage }>(
    {
      execute: (args) => (args as EnvelopedArgs).rootValue.execute(args) as never,
      subscribe: (args) => (args as EnvelopedArgs).rootValue.subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        })
        const document = parse(params.query)
        const errors = validate(schema, document)
        if (errors.length > 0) return errors
        return {
          schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        }
      },
      onNext: () => undefined,
      onOperation: () => {
        open += 1
      },
      onComplete: () => {
        open = Math.max(0, open - 1)
      },
    },
    wss,
  )
  return {
    openSubscriptions: () => open,
    stop: async () => {
      for (const client of wss.clients) client.terminate()
      await disposable.dispose()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
    },
  }
}
