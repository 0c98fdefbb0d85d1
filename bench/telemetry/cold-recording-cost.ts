/**
 * What recording costs when the CPU caches are cold, as they are between two requests: a cached `sql` request
 * allocates about 100 KB and runs a few hundred kilobytes of code and data, which pushes the monitor's series out
 * of the caches before the next sample arrives. Between two calls this touches `evictBytes` of other memory (one
 * write per cache line), then times the call alone. The hot per-call figures miss this: there every object a
 * sample reaches through stays cached, while here each one is a miss, so the figure counts objects reached.
 */
export function coldRecordingCost(record: () => void, options: { evictBytes: number; calls: number; rounds: number }): { coldUs: number; hotUs: number } {
  const other = new Uint8Array(options.evictBytes)
  let offset = 0
  const evict = () => {
    // A different byte of each line every call, so no write can be skipped as already done.
    offset = (offset + 1) & 63
    for (let i = offset; i < other.length; i += 64) other[i]!++
  }
  const timed = (fn: () => void, cold: boolean) => {
    let total = 0
    for (let i = 0; i < options.calls; i++) {
      if (cold) evict()
      const started = performance.now()
      fn()
      total += performance.now() - started
    }
    return (total * 1000) / options.calls
  }
  const empty = { cold: [] as number[], hot: [] as number[] }
  const measured = { cold: [] as number[], hot: [] as number[] }
  const nothing = () => undefined
  for (let round = -1; round < options.rounds; round++) {
    for (const cold of [true, false]) {
      const key = cold ? 'cold' : 'hot'
      const floor = timed(nothing, cold) // the timer's own cost, taken the same way
      const value = timed(record, cold)
      if (round >= 0) { // round -1 warms up
        empty[key].push(floor)
        measured[key].push(value)
      }
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!
  return { coldUs: median(measured.cold) - median(empty.cold), hotUs: median(measured.hot) - median(empty.hot) }
}
