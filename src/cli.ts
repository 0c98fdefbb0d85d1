import { createReadStream, existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig, type Config } from './config.ts'
import { createApp, type App } from './app.ts'
import { createDatabase } from './infra/database.ts'
import { createLogger } from './infra/logger.ts'
import { migrateToLatest } from './infra/migrate.ts'
import { isAppError } from './errors.ts'
import { LOCAL_ADMIN } from './features/auth/resolve-viewer.ts'
import { main as serve } from './main.ts'
import { createProgressBar } from './cli/progress-bar.ts'
import { formatTable } from './cli/format-table.ts'
import { loadSampleDataset } from './cli/load-sample-dataset.ts'

const USAGE = `usage: phers <command>
  serve [--sample]                start the server (--sample loads the bundled IT asset register if missing)
  ingest <file.csv> [--name N]    load a CSV as a dataset (replaces a dataset of the same name)
  sql "<query>"                   run one read-only statement and print the result
  migrate                         apply database migrations`

export const SAMPLE_CSV = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../data/it-assets.csv')

async function withApp<T>(config: Config, run: (app: App) => Promise<T>): Promise<T> {
  // The CLI needs only the services: a quiet logger, no listening socket.
  const app = await createApp({ ...config, logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel })
  try {
    return await run(app)
  } finally {
    await app.stop()
  }
}

async function ingest(config: Config, file: string, name: string | undefined): Promise<void> {
  if (!existsSync(file)) throw new Error(`no such file: ${file}`)
  const size = statSync(file).size
  await withApp(config, async (app) => {
    const bar = createProgressBar(size)
    let rows = 0
    const dataset = await app.services.datasets.ingest({
      source: createReadStream(file),
      // A redo reads the file again rather than a spooled copy (the file is not to change while it loads).
      reread: () => createReadStream(file),
      fileName: path.basename(file),
      name: name ?? null,
      owner: LOCAL_ADMIN,
      onProgress: (p) => {
        rows = p.rowsRead
        bar.update(p.rowsRead, p.bytesRead)
      },
    })
    bar.done(rows, size)
    console.log(`loaded ${dataset.rowCount.toLocaleString('en-US')} rows into "${dataset.tableName}" (version ${dataset.version})`)
  })
}

async function runSql(config: Config, query: string): Promise<void> {
  await withApp(config, async (app) => {
    const result = await app.services.sql.run({ sql: query, viewer: LOCAL_ADMIN, source: 'sql' })
    console.log(formatTable(result.columns.map((c) => c.name), result.rows))
    if (result.pageInfo.hasNextPage) console.log(`(more rows: first page of ${result.rowCount} shown)`)
  })
}

async function migrate(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel)
  const database = await createDatabase({ config: config.database, logger })
  try {
    const result = await migrateToLatest(database.db)
    const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? []
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date')
  } finally {
    await database.stop()
  }
}

export async function cli(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, sample: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  })
  const [command, argument] = positionals
  if (values.help || !command) {
    console.log(USAGE)
    return
  }
  if (command === 'serve') {
    await serve({ onStarted: values.sample ? (app) => loadSampleDataset(app, SAMPLE_CSV) : undefined })
    return
  }
  const config = loadConfig(process.env)
  if (command === 'ingest' && argument) return ingest(config, argument, values.name)
  if (command === 'sql' && argument) return runSql(config, argument)
  if (command === 'migrate') return migrate(config)
  console.error(USAGE)
  process.exitCode = 2
}

if (process.argv[1] && [fileURLToPath(import.meta.url), path.resolve('bin/phers.js')].includes(path.resolve(process.argv[1]))) {
  cli(process.argv.slice(2)).catch((error: unknown) => {
    if (error instanceof ConfigError) console.error(error.message)
    else if (isAppError(error)) console.error(`${error.code}: ${error.message}`)
    else console.error(error)
    process.exit(1)
  })
}
