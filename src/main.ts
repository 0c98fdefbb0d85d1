import { loadConfig, ConfigError } from './config.ts'
import { createApp, type App } from './app.ts'

/** Starts the server from the environment; SIGINT/SIGTERM stop it cleanly. */
export async function main(options: { onStarted?: (app: App, url: string) => Promise<void> } = {}): Promise<void> {
  let config
  try {
    config = loadConfig(process.env)
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message)
      process.exit(2)
    }
    throw error
  }
  const app = await createApp(config)
  const url = await app.start()
  await options.onStarted?.(app, url)
  app.logger.info({ url: `${url}/graphql`, database: app.services.database.kind, redis: Boolean(config.redisUrl) }, 'PHERS is serving')
  if (!config.adminKey) app.logger.warn('no PHERS_ADMIN_KEY: anonymous requests are served as admin (loopback only)')
  console.log(`\n  GraphiQL: ${url}/graphql\n`)
  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    app.logger.info({ signal }, 'shutting down')
    await app.stop()
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
}
