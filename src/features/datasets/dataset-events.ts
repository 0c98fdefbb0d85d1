import { Repeater } from 'graphql-yoga'
import type { PubSub } from '../../services.ts'
import { roleAtLeast, type Viewer } from '../auth/viewer.ts'
import type { DatasetChange, DatasetHooks } from './dataset-service-deps.ts'
import type { DatasetService } from './dataset-service.ts'
import type { DatasetInfo } from './dataset-types.ts'

export type DatasetEventKind = 'CREATED' | 'REPLACED' | 'DELETED' | 'PROGRESS'

export interface DatasetEvent {
  kind: DatasetEventKind
  name: string
  /** Null while a first upload is still in progress (the dataset has no id until it commits). */
  dataset: DatasetInfo | null
  rowsRead: number | null
  bytesRead: number | null
  at: string
  /** Who may receive it: never sent to viewers who could not see the dataset. */
  ownerId: string
  shared: boolean
}

const TOPIC = 'datasetEvents'
const KIND: Record<DatasetChange, DatasetEventKind> = { created: 'CREATED', replaced: 'REPLACED', deleted: 'DELETED' }

/** How often an upload reports progress at most. */
const PROGRESS_INTERVAL_MS = 250

export interface DatasetEvents {
  /** The `onChanged` hook of the dataset service. */
  onChanged: NonNullable<DatasetHooks['onChanged']>
  /** Wraps the service so every ingest publishes throttled progress events. */
  withProgress(service: DatasetService): DatasetService
  /** Events this viewer may see, until the signal aborts. */
  subscribe(viewer: Viewer, signal: AbortSignal): AsyncIterable<DatasetEvent>
}

/** `datasetEvents` over the app's pubsub (Redis-backed when configured, so every instance hears every upload). */
export function createDatasetEvents({ pubsub }: { pubsub: PubSub }): DatasetEvents {
  const publish = (event: DatasetEvent) => pubsub.publish(TOPIC, event)
  const visibleTo = (viewer: Viewer, event: DatasetEvent) =>
    roleAtLeast(viewer, 'ADMIN') || event.ownerId === viewer.id || (event.shared && event.kind !== 'PROGRESS')

  return {
    onChanged(dataset, change) {
      publish({
        kind: KIND[change],
        name: dataset.name,
        dataset,
        rowsRead: dataset.rowCount,
        bytesRead: dataset.fileSize,
        at: new Date().toISOString(),
        ownerId: dataset.ownerId,
        shared: dataset.visibility === 'SHARED',
      })
    },
    withProgress(service) {
      return {
        ...service,
        ingest(request) {
          let last = 0
          const name = request.name ?? request.fileName
          return service.ingest({
            ...request,
            onProgress: (progress) => {
              request.onProgress?.(progress)
              const now = Date.now()
              if (now - last < PROGRESS_INTERVAL_MS) return
              last = now
              publish({ kind: 'PROGRESS', name, dataset: null, ...progress, at: new Date(now).toISOString(), ownerId: request.owner.id, shared: false })
            },
          })
        },
      }
    },
    subscribe(viewer, signal) {
      const source = pubsub.subscribe(TOPIC) as AsyncIterable<DatasetEvent> & { return?: () => unknown }
      return new Repeater<DatasetEvent>(async (push, stop) => {
        signal.addEventListener('abort', () => stop(), { once: true })
        stop.then(() => source.return?.())
        for await (const event of source) {
          if (visibleTo(viewer, event)) await push(event)
        }
        stop()
      })
    },
  }
}
