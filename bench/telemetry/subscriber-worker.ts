/** One client process of the fan-out benchmark: argv[2] is `{ wsUrl, count, measureMs }`; prints its samples as JSON. */
import { measureSubscribers } from './subscriber-lag.ts'

const { wsUrl, count, measureMs } = JSON.parse(process.argv[2] ?? '{}') as { wsUrl: string; count: number; measureMs: number }
process.stdout.write(JSON.stringify(await measureSubscribers(wsUrl, count, measureMs)))
process.exit(0)
