import { getOperationAST, type DocumentNode, type GraphQLError } from 'graphql'
import type { Plugin } from 'graphql-yoga'
import { ERROR_STATUS, type ErrorCode } from '../../errors.ts'
import type { Telemetry } from './telemetry.ts'
import type { OperationType } from './telemetry-types.ts'

type Recorder = Pick<Telemetry, 'recordOperation' | 'adjustInFlight' | 'adjustSubscriptions'>

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value

type Described = { name: string; type: OperationType }

/** Yoga caches parsed documents, so repeated requests reuse the same DocumentNode and this lookup. */
function describer() {
  const known = new WeakMap<DocumentNode, Map<string, Described>>()
  return (document: DocumentNode, operationName: string | null | undefined): Described => {
    let byName = known.get(document)
    if (!byName) known.set(document, (byName = new Map()))
    const key = operationName ?? ''
    let found = byName.get(key)
    if (!found) {
      const op = getOperationAST(document, operationName)
      found = { name: operationName ?? op?.name?.value ?? 'anonymous', type: op?.operation ?? 'query' }
      byName.set(key, found)
    }
    return found
  }
}

/** First error's code when it is one of ours; anything else was masked, so it counts as INTERNAL. */
function errorCode(result: unknown): ErrorCode | null {
  const errors = (result as { errors?: readonly GraphQLError[] } | null)?.errors
  if (!errors?.length) return null
  const code = errors[0]!.extensions?.code
  return typeof code === 'string' && code in ERROR_STATUS ? (code as ErrorCode) : 'INTERNAL'
}

/**
 * One execution being timed. A class rather than closures on purpose: this runs on every request, and closures
 * created per call cost far more than the measurement itself (under tsx each named closure is also renamed
 * through `Object.defineProperty`). Envelop calls the hooks as methods of the object `onExecute` returns.
 */
class ExecutionTimer {
  private error: ErrorCode | null = null
  constructor(private readonly telemetry: Recorder, private readonly op: Described, private readonly started: number) {
    telemetry.adjustInFlight(1)
  }

  onExecuteDone({ result }: { result: unknown }) {
    if (!isAsyncIterable(result)) return this.done(errorCode(result))
    // Incremental delivery (@defer/@stream) finishes when the last part is sent.
    return { onNext: ({ result: part }: { result: unknown }) => void (this.error ??= errorCode(part)), onEnd: () => this.done(this.error) }
  }

  private done(error: ErrorCode | null) {
    this.telemetry.adjustInFlight(-1)
    this.telemetry.recordOperation({ name: this.op.name, type: this.op.type, durationMs: performance.now() - this.started, error })
  }
}

/**
 * Measures every operation in one place: execution time by name and type, errors, in-flight count. For
 * subscriptions only the setup is timed (their lifetime is not latency); open ones are counted until they end.
 * Works the same for HTTP and graphql-ws, since both run through `yoga.getEnveloped`.
 */
export function useTelemetry(telemetry: Recorder): Plugin {
  const describe = describer()
  return {
    onExecute({ args }) {
      return new ExecutionTimer(telemetry, describe(args.document, args.operationName), performance.now())
    },
    onSubscribe({ args }) {
      const started = performance.now()
      const op = describe(args.document, args.operationName)
      const record = (error: ErrorCode | null) =>
        telemetry.recordOperation({ ...op, durationMs: performance.now() - started, error })
      return {
        onSubscribeResult({ result }) {
          if (!isAsyncIterable(result)) return record(errorCode(result))
          record(null)
          telemetry.adjustSubscriptions(1)
          return { onEnd: () => telemetry.adjustSubscriptions(-1) }
        },
        onSubscribeError: ({ error }) => record(errorCode({ errors: [error] })),
      }
    },
  }
}
