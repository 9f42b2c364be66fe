/**
 * Entry of the Node host behind `npm run serve` (built to out/main/serve.js; no Electron import
 * anywhere under it). Serves out/renderer and a WebSocket TextureService on loopback, then prints
 * exactly one line on stdout, `Tessera serving at http://HOST:PORT/?token=TOKEN` (see `serveLine`).
 * Usage: node out/main/serve.js [--port N] [--host 127.0.0.1] [--allow-paths] [files…]
 * Ctrl-C / SIGTERM close every connection, service, upload and the decode pool, then exit 0.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { messageOf } from '../shared/errors'
import { parseServeArgs } from './host/args'
import { expandFolders } from './host/expandFolders'
import { serveLine, startServeHost } from './host/serveHost'
import { closeRasterRuntime, rasterOpener, tileWorkerCount } from './host/rasterOpener'
import { removeAllUploadDirectoriesSync } from './service/UploadStore'

async function main(): Promise<void> {
  let args
  try {
    args = parseServeArgs(process.argv.slice(2))
  } catch (error) {
    console.error(`tessera serve: ${messageOf(error)}`)
    console.error('usage: npm run serve -- [--port N] [--host 127.0.0.1] [--allow-paths] [files…]')
    process.exit(2)
  }
  const here = dirname(fileURLToPath(import.meta.url))
  const host = await startServeHost({
    rendererDir: process.env.TESSERA_RENDERER_DIR ?? join(here, '../renderer'),
    openRaster: rasterOpener,
    maxWorkers: tileWorkerCount(),
    host: args.host,
    port: args.port,
    files: expandFolders(args.files),
    allowPaths: args.allowPaths
  })
  process.on('exit', removeAllUploadDirectoriesSync)
  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    console.error(`tessera serve: ${signal}, shutting down`)
    void host
      .close()
      .then(() => closeRasterRuntime())
      .catch((error: unknown) => console.error('tessera serve: shutdown failed:', error))
      .finally(() => process.exit(0))
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
  console.log(serveLine(host.url))
}

main().catch((error: unknown) => {
  console.error('tessera serve: could not start:', messageOf(error))
  process.exit(1)
})
