import { openAsBlob } from 'node:fs'
import path from 'node:path'

const UPLOAD = `mutation Upload($file: File!, $name: String) {
  uploadDataset(file: $file, name: $name) { id rowCount fileSize columns { name type } }
}`

export interface UploadedDataset {
  id: string
  rowCount: number
  fileSize: number
  columns: { name: string; type: string }[]
}

/**
 * One GraphQL multipart request (the upload spec: `operations`, `map`, then the file part) whose file part is
 * streamed from disk by a file-backed Blob, so the client never holds the file in memory either.
 */
export async function graphqlUploadFile(url: string, file: string, name: string): Promise<UploadedDataset> {
  const form = new FormData()
  form.append('operations', JSON.stringify({ query: UPLOAD, variables: { file: null, name } }))
  form.append('map', JSON.stringify({ 0: ['variables.file'] }))
  form.append('0', await openAsBlob(file, { type: 'text/csv' }), path.basename(file))
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'x-phers-client': 'bench' }, body: form })
  const body = (await response.json()) as { data?: { uploadDataset: UploadedDataset } | null; errors?: { message: string }[] }
  if (!response.ok || body.errors?.length || !body.data) {
    throw new Error(`upload failed (HTTP ${response.status}): ${body.errors?.map((e) => e.message).join('; ') ?? 'no data'}`)
  }
  return body.data.uploadDataset
}
