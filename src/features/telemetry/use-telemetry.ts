import { getOperationAST, type DocumentNode, type GraphQLError } from 'graphql'
import { isAsyncIterable, type Plugin } from 'graphql-yoga'
import { ERROR_STATUS, type ErrorCode } from '../../errors.ts'
import type { Telemetry } from './telemetry.ts'
import type { OperationType } from './telemetry-types.ts'

type Recorder = Pick<Telemetry, 'recordOperation' | 'adjustInFlight' | 'adjustSubscriptions'>
/** envelop's execute function: `(args: ExecutionArgs) => result`, typed loosely by envelop itself. */
type Execute = Parameters<NonNullable<Plugin['onExecute']>>[0]['executeFn']
type ExecuteArgs = Parameters<Execute>[0]

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'

type Described = { name: string; type: OperationType }
type Describe = (document: DocumentNode, operationName: string | null | undefined) => Described

/** Yoga caches parsed documents, so repeated requests reuse the same DocumentNode and this lookup. */
function describer(): Describe {
  const known = new WeakMap<DocumentNode, Map<string, Described>>()
  return (document, operationName) => {
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
 * through `Object.defineProperty`).
 */
class ExecutionTimer {
  private readonly started = performance.now()
  constructor(private readonly telemetry: Recorder, private readonly op: Described) {
    telemetry.adjustInFlight(1)
  }

  /** What `execute` returned, passed on once counted. */
  finish(result: unknown): unknown {
    if (!isAsyncIterable(result)) {
      this.done(errorCode(result))
      return result
    }
    return timedStream(this, result)
  }

  async settle(pending: PromiseLike<unknown>): Promise<unknown> {
    let result: unknown
    try {
      result = await pending
    } catch (error) {
      this.abandon()
      throw error
    }
    return this.finish(result)
  }

  /** An execution that threw instead of answering is not an operation's latency; only the in-flight count ends. */
  abandon() {
    this.telemetry.adjustInFlight(-1)
  }

  done(error: ErrorCode | null) {
    this.telemetry.adjustInFlight(-1)
    this.telemetry.recordOperation({ name: this.op.name, type: this.op.type, durationMs: performance.now() - this.started, error })
  }
}

/** Incremental delivery (@defer/@stream) finishes when the last part is sent; the first error code counts. */
async function* timedStream(timer: ExecutionTimer, parts: AsyncIterable<unknown>): AsyncGenerator<unknown> {
  let error: ErrorCode | null = null
  try {
    for await (const part of parts) {
      error ??= errorCode(part)
      yield part
    }
  } finally {
    timer.done(error)
  }
}

/**
 * `execute` timed: made once per inner function (envelop hands over the same one, yoga's engine, every time),
 * so a request allocates only its timer. Wrapping the function instead of returning `onExecuteDone` keeps the
 * plugin out of envelop's after-execution chain, which builds a payload, closures and promise wrappers for
 * every hook on every request.
 */
function timedExecute(inner: Execute, telemetry: Recorder, describe: Describe): Execute {
  return (args: ExecuteArgs) => {
    const timer = new ExecutionTimer(telemetry, describe(args.document, args.operationName))
    let result: unknown
    try {
      result = inner(args)
    } catch (error) {
      timer.abandon()
      throw error
    }
    return isPromiseLike(result) ? timer.settle(result) : timer.finish(result)
  }
}

/**
 * Measures every operation in one place: execution time by name and type, errors, in-flight count. For
 * subscriptions only the setup is timed (their lifetime is not latency); open ones are counted until they end.
 * Works the same for HTTP and graphql-ws, since both run through `yoga.getEnveloped`. The execute function it
 * wraps is whichever the plugins before it set (yoga's engine): a plugin after it that replaces the function
 * would run untimed.
 */
export function useTelemetry(telemetry: Recorder): Plugin {
  const describe = describer()
  let inner: Execute | null = null
  let timed: Execute | null = null
  return {
    onExecute({ executeFn, setExecuteFn }) {
      if (executeFn !== inner) {
        inner = executeFn
        timed = timedExecute(executeFn, telemetry, describe)
      }
      setExecuteFn(timed!)
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
