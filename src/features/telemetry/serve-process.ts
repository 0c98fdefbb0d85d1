import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Test and benchmark support: the real server (`phers serve`) as a child process on a free loopback port, so
 * several instances can run side by side (each with its own event loop) and be stopped by PID.
 */
export interface ServeProcess {
  pid: number
  url: string
  wsUrl: string
  stop(): Promise<void>
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const CLI = path.join(ROOT, 'src/cli.ts')

export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/**
 * Starts `tsx src/cli.ts serve` with exactly `env` (plus PATH and HOME: nothing else leaks in from the parent,
 * such as a DATABASE_URL meant for the test runner) and resolves once `/ready` answers 200. `args` go after
 * `serve` (`--sample` loads the bundled sample dataset, which may finish after `/ready`).
 */
export async function startServeProcess(env: Record<string, string>, options: { readyTimeoutMs?: number; args?: string[] } = {}): Promise<ServeProcess> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', ...(options.args ?? [])], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const url = `http://127.0.0.1:${port}`
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(killer)
  }
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000)
  let early: number | null | undefined
  void exited.then((code) => (early = code))
  while (!(await fetch(`${url}/ready`).then((r) => r.ok, () => false))) {
    if (early !== undefined) throw new Error(`phers serve exited with ${early} before it was ready`)
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`phers serve was not ready on ${url} in time`)
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return { pid: child.pid!, url, wsUrl: `ws://127.0.0.1:${port}/graphql`, stop }
}
