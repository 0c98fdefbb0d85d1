import { readdirSync, readFileSync } from 'node:fs'

const TICK_S = 0.01

/** User + system CPU seconds of a /proc `stat` line (fields 14 and 15, counted after the `(comm)` field). */
function statCpu(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * TICK_S
}

const readOr = (file: string) => {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return null
  }
}

/** CPU seconds per thread of `pid`, by thread id (the main thread's id is the pid). Linux only. */
export function threadCpu(pid: number): Map<number, number> {
  const out = new Map<number, number>()
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readOr(`/proc/${pid}/task/${tid}/stat`)
    if (stat) out.set(Number(tid), statCpu(stat))
  }
  return out
}

/**
 * CPU seconds of the PostgreSQL backends serving `database` on this machine (their process titles name it), by
 * pid; empty where the server runs elsewhere or its processes cannot be read.
 */
export function backendCpu(database: string): Map<number, number> {
  const out = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const title = readOr(`/proc/${entry}/cmdline`)
    if (!title?.startsWith('postgres: ') || !title.includes(` ${database} `)) continue
    const stat = readOr(`/proc/${entry}/stat`)
    if (stat) out.set(Number(entry), statCpu(stat))
  }
  return out
}

/** What each key used between two readings (keys new in `after` count from zero). */
export function cpuSpent(before: Map<number, number>, after: Map<number, number>): Map<number, number> {
  return new Map([...after].map(([key, cpu]) => [key, cpu - (before.get(key) ?? 0)]))
}
