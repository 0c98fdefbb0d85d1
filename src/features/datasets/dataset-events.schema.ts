import { builder } from '../../schema/builder.ts'
import type { DatasetEvent, DatasetEvents } from './dataset-events.ts'
import { DatasetRef } from './datasets.schema.ts'

declare module '../../services.ts' {
  interface Services {
    datasetEvents: DatasetEvents
  }
}

const DatasetEventKindEnum = builder.enumType('DatasetEventKind', {
  values: {
    CREATED: { description: 'A new dataset was loaded.' },
    REPLACED: { description: 'A new version replaced the dataset.' },
    DELETED: { description: 'The dataset was deleted.' },
    PROGRESS: { description: 'An upload is under way (sent to its owner and admins only).' },
  },
})

const DatasetEventRef = builder.objectRef<DatasetEvent>('DatasetEvent').implement({
  fields: (t) => ({
    kind: t.field({ type: DatasetEventKindEnum, resolve: (e) => e.kind }),
    name: t.exposeString('name', { description: 'Dataset name (for PROGRESS, the name being uploaded).' }),
    dataset: t.field({ type: DatasetRef, nullable: true, resolve: (e) => e.dataset }),
    rowsRead: t.exposeInt('rowsRead', { nullable: true }),
    bytesRead: t.exposeFloat('bytesRead', { nullable: true }),
    at: t.field({ type: 'DateTime', resolve: (e) => e.at }),
  }),
})

builder.subscriptionField('datasetEvents', (t) =>
  t.field({
    type: DatasetEventRef,
    description: 'Datasets you can see being created, replaced or deleted, and your uploads in progress.',
    subscribe: (_root, _args, ctx) => ctx.services.datasetEvents.subscribe(ctx.viewer, ctx.signal),
    resolve: (event) => event,
  }),
)
