import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks'
import v8 from 'node:v8'
import type { Clock, ResourceSample, TelemetrySources } from './telemetry-types.ts'

export interface ResourceSamplerDeps {
  sources: TelemetrySources
  clock: Clock
  /** Fallbacks the plugin counts itself when the integrator passes no probe. */
  inFlight: () => number
  subscriptions: () => number
  /** Heap used right after each GC, for the leak trend. */
  onGc?: (heapUsedBytes: number, now: number) => void
  /** A Redis probe slower than this reports `timeout`. Default 1000 ms. */
  redisTimeoutMs?: number
}

export interface ResourceSampler {
  /** Figures since the previous call (CPU, GC, event-loop delay reset each time). */
  sample(): Promise<ResourceSample>
  stop(): void
}

const NS_PER_MS = 1e6

/** Opens an event-loop delay histogram and a GC observer; both are released by `stop()`. */
export function createResourceSampler(deps: ResourceSamplerDeps): ResourceSampler {
  const { sources, clock } = deps
  const loop = monitorEventLoopDelay({ resolution: 10 })
  loop.enable()
  let gcPauseMs = 0
  let gcCount = 0
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcPauseMs += entry.duration
      gcCount++
    }
    deps.onGc?.(v8.getHeapStatistics().used_heap_size, clock.now())
  })
  gc.observe({ entryTypes: ['gc'] })
  let lastCpu = process.cpuUsage()
  let lastAt = performance.now()

  const redis = async (): Promise<ResourceSample['redis']> => {
    const probe = sources.redis?.()
    if (!probe) return null
    const timeoutMs = deps.redisTimeoutMs ?? 1000
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<ResourceSample['redis']>((resolve) => {
      timer = setTimeout(() => resolve({ status: 'timeout', rttMs: null }), timeoutMs)
    })
    try {
      return await Promise.race([probe, timeout])
    } catch (error) {
      return { status: error instanceof Error ? `error: ${error.message}` : 'error', rttMs: null }
    } finally {
      clearTimeout(timer)
    }
  }

  return {
    async sample() {
      const nowPerf = performance.now()
      const cpu = process.cpuUsage(lastCpu)
      const elapsedMs = Math.max(nowPerf - lastAt, 1)
      lastCpu = process.cpuUsage()
      lastAt = nowPerf
      const heap = v8.getHeapStatistics()
      const sample: ResourceSample = {
        at: clock.now(),
        // Percent of one core, like `top`: 2 busy cores read 200.
        cpuPercent: ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100,
        rssBytes: process.memoryUsage.rss(),
        heapUsedBytes: heap.used_heap_size,
        heapLimitBytes: heap.heap_size_limit,
        eventLoopDelayP50Ms: loop.count ? loop.percentile(50) / NS_PER_MS : 0,
        eventLoopDelayP99Ms: loop.count ? loop.percentile(99) / NS_PER_MS : 0,
        eventLoopDelayMaxMs: loop.count ? loop.max / NS_PER_MS : 0,
        gcPauseMs,
        gcCount,
        pgPool: sources.pgPool?.() ?? null,
        redis: await redis(),
        openSubscriptions: sources.openSubscriptions?.() ?? deps.subscriptions(),
        inFlightOperations: deps.inFlight(),
        queueDepths: sources.queueDepths?.() ?? {},
        cache: sources.cacheStats?.() ?? {},
      }
      loop.reset()
      gcPauseMs = 0
      gcCount = 0
      return sample
    },
    stop() {
      loop.disable()
      gc.disconnect()
    },
  }
}
