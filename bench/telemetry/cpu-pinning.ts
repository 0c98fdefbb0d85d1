import { execFileSync } from 'node:child_process'
import { availableParallelism } from 'node:os'

/**
 * On a virtual machine the CPUs are not alike: a vCPU whose host core is busier runs the same code measurably
 * slower, and Linux keeps a waking thread on the CPU it last used. Two processes started side by side then
 * differ by up to ±20 % for reasons that have nothing to do with their code (measured here: the per-pair
 * on/off ratios spread from −17 % to +27 % unpinned, and within ±5 % pinned). Pinning both sides of a
 * comparison to the same CPU gives them the same hardware; the load generator keeps the other CPUs.
 */
export interface CpuPlan {
  /** The CPU every measured process runs on, or null when pinning is unavailable (one CPU, no `taskset`). */
  measured: number | null
  /** CPUs for everything else (the driver, load generators), as a `taskset` list. */
  others: string | null
}

export function cpuPlan(): CpuPlan {
  const cpus = availableParallelism()
  if (cpus < 2 || !hasTaskset()) return { measured: null, others: null }
  return { measured: cpus - 1, others: cpus === 2 ? '0' : `0-${cpus - 2}` }
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** Binds every thread of `pid` (and the threads it starts later) to `cpus` (a `taskset` list such as `1` or `0-2`). */
export function pinProcess(pid: number, cpus: string | number): void {
  execFileSync('taskset', ['-a', '-p', '-c', String(cpus), String(pid)], { stdio: 'ignore' })
}

/** This process's own CPU list, to put back after a pinned stretch (child processes inherit it). */
export function currentCpus(): string {
  const out = execFileSync('taskset', ['-c', '-p', String(process.pid)], { encoding: 'utf8' })
  return out.slice(out.lastIndexOf(':') + 1).trim()
}

export const describePlan = (plan: CpuPlan) =>
  plan.measured === null ? 'unpinned (taskset unavailable or one CPU)' : `measured processes pinned to CPU ${plan.measured}, load and driver on CPU ${plan.others}`
