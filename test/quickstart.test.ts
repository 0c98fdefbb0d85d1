import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

/** README command 1 (`npm start`) as a user runs it: embedded database, sample dataset, GraphiQL URL printed. */
describe('README quick start: npm start', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'phers-quickstart-'))
  let child: ChildProcess | undefined

  afterAll(() => {
    // npm does not always pass signals on to the server it started: stop the whole process group.
    if (child?.pid) process.kill(-child.pid, 'SIGTERM')
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('serves GraphiQL and the sample dataset answers sql', async () => {
    const env: Record<string, string | undefined> = { ...process.env, PORT: '0', PHERS_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }
    delete env.DATABASE_URL
    delete env.REDIS_URL
    delete env.PHERS_ADMIN_KEY
    child = spawn('npm', ['start'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    const url = await new Promise<string>((resolve, reject) => {
      let output = ''
      const timer = setTimeout(() => reject(new Error(`no GraphiQL URL printed:\n${output}`)), 90_000)
      const onData = (chunk: Buffer) => {
        output += chunk.toString()
        const match = /GraphiQL: (http:\/\/\S+)/.exec(output)
        if (match) {
          clearTimeout(timer)
          resolve(match[1]!)
        }
      }
      child!.stdout!.on('data', onData)
      child!.stderr!.on('data', onData)
      child!.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)))
    })
    const page = await fetch(url, { headers: { accept: 'text/html' } })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('GraphiQL')
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ sql(query: "SELECT count(*) AS n, count(DISTINCT manufacturer) AS brands FROM it_assets") { rows } }' }),
    })
    const body = (await response.json()) as { data: { sql: { rows: string[][] } } }
    expect(body.data.sql.rows[0]![0]).toBe('3000')
    expect(Number(body.data.sql.rows[0]![1])).toBeGreaterThan(3)
  }, 120_000)
})
