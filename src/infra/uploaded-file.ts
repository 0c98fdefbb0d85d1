/** What resolvers receive for a `File` argument: a name and a byte stream, never the whole file in memory. */
export interface UploadedFile {
  name: string
  type: string
  /** The file's bytes from the start; each call opens a new stream (a redo of an ingest reads the file again). */
  stream(): AsyncIterable<Uint8Array>
}

export const isUploadedFile = (value: unknown): value is UploadedFile =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as UploadedFile).name === 'string' &&
  typeof (value as UploadedFile).stream === 'function'
