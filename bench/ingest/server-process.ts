import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export interface ServerProcess {
  url: string
  pid: number
  /** Resident set size now (VmRSS) and its high-water mark (VmHWM), in bytes. */
  memory(): { rss: number; hwm: number }
  /** Resets VmHWM to the current RSS (Linux `clear_refs` 5), so the peak covers only what follows. */
  resetPeak(): void
  /** SIGTERM by PID, then waits for the exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>
}

function readStatus(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') }
}

/** Resolves with the `GraphiQL: <url>` line the server prints once it listens (other lines go to `onLine`); fails if it exits first. */
function serverUrl(child: ChildProcess, timeoutMs: number, onLine?: (line: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server printed no GraphiQL line within ${timeoutMs} ms`)), timeoutMs)
    const lines = createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      const match = /GraphiQL:\s*(\S+)/.exec(line)
      if (!match) return void (line.trim() && onLine?.(line))
      clearTimeout(timer)
      resolve(match[1]!.replace(/\/graphql$/, ''))
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the server exited with ${code} before listening`))
    })
  })
}

/**
 * The real server (`src/cli.ts serve`) as a separate process: node runs it directly with tsx as a loader, so
 * the PID is the server itself (not a tsx wrapper) and its /proc figures are the server's own.
 */
export async function startServerProcess(env: Record<string, string>, options: { timeoutMs?: number; onLine?: (line: string) => void; nodeArgs?: string[] } = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'src/cli.ts', 'serve'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const pid = child.pid!
  try {
    const url = await serverUrl(child, options.timeoutMs ?? 60_000, options.onLine)
    return {
      url,
      pid,
      memory: () => readStatus(pid),
      resetPeak: () => {
        // Needs Linux and permission over the process (same user): both hold for a child we started.
        writeFileSync(`/proc/${pid}/clear_refs`, '5')
      },
      async stop(graceMs = 10_000) {
        if (child.exitCode !== null || child.signalCode !== null) return
        process.kill(pid, 'SIGTERM')
        const timer = setTimeout(() => child.exitCode === null && process.kill(pid, 'SIGKILL'), graceMs)
        await exited
        clearTimeout(timer)
      },
    }
  } catch (error) {
    if (child.exitCode === null) process.kill(pid, 'SIGKILL')
    throw error
  }
}
