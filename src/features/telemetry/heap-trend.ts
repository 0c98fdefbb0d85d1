export interface HeapTrend {
  /** Least-squares slope of heap-after-GC over the tracked minutes. */
  slopeBytesPerMin: number
  /** Share of minute-to-minute steps that went up: a leak rises steadily, a busy burst does not. */
  risingShare: number
  points: number
  latestBytes: number | null
}

export interface HeapTrendTracker {
  /** Heap used right after a garbage collection. */
  record(heapUsedBytes: number, now: number): void
  trend(): HeapTrend
}

/**
 * Keeps the lowest heap-after-GC per minute for the last `minutes` minutes: the per-minute floor is what live
 * data occupies, so its steady climb (not the sawtooth between collections) is the leak signal.
 */
export function createHeapTrendTracker(minutes: number): HeapTrendTracker {
  const floors: { minute: number; bytes: number }[] = []
  return {
    record(bytes, now) {
      const minute = Math.floor(now / 60_000)
      const last = floors[floors.length - 1]
      if (last && last.minute === minute) last.bytes = Math.min(last.bytes, bytes)
      else floors.push({ minute, bytes })
      while (floors.length > 0 && floors[0]!.minute <= minute - minutes) floors.shift()
    },
    trend() {
      const n = floors.length
      if (n < 2) return { slopeBytesPerMin: 0, risingShare: 0, points: n, latestBytes: floors[0]?.bytes ?? null }
      const meanX = floors.reduce((s, p) => s + p.minute, 0) / n
      const meanY = floors.reduce((s, p) => s + p.bytes, 0) / n
      let num = 0
      let den = 0
      let rising = 0
      floors.forEach((p, i) => {
        num += (p.minute - meanX) * (p.bytes - meanY)
        den += (p.minute - meanX) ** 2
        if (i > 0 && p.bytes > floors[i - 1]!.bytes) rising++
      })
      return {
        slopeBytesPerMin: den ? num / den : 0,
        risingShare: rising / (n - 1),
        points: n,
        latestBytes: floors[n - 1]!.bytes,
      }
    },
  }
}
