import { Session } from 'node:inspector/promises'
import type { HeapProfiler } from 'node:inspector'

/** Bytes allocated per request, and by allocation site (function and file), per request. */
export interface AllocationProfile {
  bytesPerRequest: number
  sites: Record<string, number>
}

/**
 * V8 also takes these two, which keep samples of objects the garbage collector has already freed (without them
 * the profile holds only what is still alive at the end); @types/node does not list them yet.
 */
type SamplingParameters = HeapProfiler.StartSamplingParameterType & {
  includeObjectsCollectedByMajorGC: boolean
  includeObjectsCollectedByMinorGC: boolean
}

/** Our files carry no useful line (tsx compiles each to one line); a dependency's line tells which function it is. */
function siteOf(frame: { functionName: string; url: string; lineNumber: number }): string {
  const name = frame.functionName || '(anonymous)'
  const dependency = frame.url.lastIndexOf('node_modules/')
  if (dependency >= 0) return `${name} (${frame.url.slice(dependency + 'node_modules/'.length)}:${frame.lineNumber + 1})`
  const own = /\/(src|bench|scripts)\//.exec(frame.url)
  return own ? `${name} (${frame.url.slice(own.index + 1)})` : `${name} (${frame.url || 'native'})`
}

/**
 * What `run` allocates, by V8's sampling heap profiler (a sample every `intervalBytes` on average, scaled back to
 * totals): where a request's garbage comes from, a figure that does not move with the machine's speed the way
 * timings do. `all`: every allocation, freed ones included. `promoted`: only what outlived a young-generation
 * collection (alive at the end, or freed later by a full one). Those bytes are what the scavenger copies and
 * the full collector marks: a few KB of them per request costs more than all the rest of its garbage.
 */
export async function profileAllocations(
  requests: number,
  run: () => Promise<void>,
  kind: 'all' | 'promoted' = 'all',
  intervalBytes = 256,
): Promise<AllocationProfile> {
  const session = new Session()
  session.connect()
  try {
    const parameters: SamplingParameters = {
      samplingInterval: intervalBytes,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: kind === 'all',
    }
    await session.post('HeapProfiler.startSampling', parameters)
    await run()
    const { profile } = await session.post('HeapProfiler.stopSampling')
    const sites: Record<string, number> = {}
    let total = 0
    const visit = (node: HeapProfiler.SamplingHeapProfileNode) => {
      if (node.selfSize > 0) {
        const site = siteOf(node.callFrame)
        sites[site] = (sites[site] ?? 0) + node.selfSize / requests
        total += node.selfSize
      }
      for (const child of node.children) visit(child)
    }
    visit(profile.head)
    return { bytesPerRequest: total / requests, sites }
  } finally {
    session.disconnect()
  }
}
