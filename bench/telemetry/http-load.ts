import { Agent, request } from 'node:http'

/**
 * Closed-loop HTTP load: `concurrency` keep-alive clients each send the next request as soon as the previous
 * answer arrives, for `durationMs`. Bounded in time and aimed at the local benchmark server only.
 */
export async function httpLoad(url: string, body: string, concurrency: number, durationMs: number): Promise<{ requests: number; perSec: number; errors: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency })
  const target = new URL(url)
  const deadline = Date.now() + durationMs
  let requests = 0
  let errors = 0
  const once = () =>
    new Promise<void>((resolve) => {
      const req = request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          if (res.statusCode !== 200) errors++
          res.resume()
          res.on('end', resolve)
        },
      )
      req.on('error', () => {
        errors++
        resolve()
      })
      req.end(body)
    })
  const started = Date.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        await once()
        requests++
      }
    }),
  )
  agent.destroy()
  return { requests, perSec: requests / ((Date.now() - started) / 1000), errors }
}
