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
  /** Opens the event-loop delay histogram and the GC observer; until then those figures read 0. */
  start(): void
  /** Figures since the previous call (CPU, GC, event-loop delay reset each time). */
  sample(): Promise<ResourceSample>
  stop(): void
}

const NS_PER_MS = 1e6

/**
 * The event-loop delay histogram and the GC observer open on `start()`, not on creation: a server with monitoring
 * off still builds the monitor (for `/metrics` and the activity log) and must not pay a timer every 10 ms and a
 * callback after every GC for figures nobody samples. `stop()` releases both.
 */
export function createResourceSampler(deps: ResourceSamplerDeps): ResourceSampler {
  const { sources, clock } = deps
  const loop = monitorEventLoopDelay({ resolution: 10 })
  let gcPauseMs = 0
  let gcCount = 0
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcPauseMs += entry.duration
      gcCount++
    }
    deps.onGc?.(v8.getHeapStatistics().used_heap_size, clock.now())
  })
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
    start() {
      loop.enable()
      gc.observe({ entryTypes: ['gc'] })
    },
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
