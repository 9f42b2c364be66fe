/**
 * The Node host of `npm run serve`: one HTTP server on loopback that serves the built renderer and,
 * on the same port, a WebSocket endpoint `/ws?token=…` where each connection gets its own
 * TextureService. Connections without the session token, or from a foreign Origin, are refused.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import { TextureService } from '../service/TextureService'
import type { RasterOpener } from '../service/types'
import { MAX_BUFFERED_BYTES, serveOverWebSocket, webSocketSink } from '../transport/websocket'
import { toErrorInfo } from '../../shared/errors'
import { readRendererCsp, staticFileHandler } from './staticFiles'
import { urlSchemeOf } from '../raster/rasterUrl'

/** Options of `startServeHost`. */
export interface ServeHostOptions {
  /** Directory of the built renderer (out/renderer). */
  rendererDir: string
  openRaster: RasterOpener
  /** Default 127.0.0.1; port 0 (default) picks a free port. */
  host?: string
  port?: number
  /** Files opened for every connection; the only server paths an `open` call may read unless `allowPaths`. */
  files?: string[]
  allowPaths?: boolean
  /** Loads running at once per service (the decode pool's tile workers). */
  maxWorkers?: number
  /** Where upload directories go; default os.tmpdir(). */
  uploadRoot?: string
  /** Session token; default 24 random bytes, base64url. */
  token?: string
  /** Largest WebSocket message accepted (upload chunks); default 16 MiB. */
  maxPayload?: number
  /** Most bytes a connection may leave unsent (a client that stops reading) before it is ended; default 256 MiB. */
  maxBufferedBytes?: number
}

/** A running host. `close()` ends every connection and service; idempotent. */
export interface ServeHost {
  /** The URL to open, token included: `http://HOST:PORT/?token=TOKEN`. */
  readonly url: string
  readonly port: number
  readonly token: string
  /** Services of the connections open now. */
  readonly services: ReadonlySet<TextureService>
  close(): Promise<void>
}

/** The one line `serve` prints; tests parse it with `SERVE_LINE_PATTERN`. */
export function serveLine(url: string): string {
  return `Tessera serving at ${url}`
}

/** Matches `serveLine`: group 1 is the URL, group 2 the port, group 3 the token. */
export const SERVE_LINE_PATTERN = /^Tessera serving at (http:\/\/[^\s/]+:(\d+)\/\?token=([A-Za-z0-9_-]+))$/m

/** Starts the host and resolves once it listens. */
export async function startServeHost(options: ServeHostOptions): Promise<ServeHost> {
  const host = options.host ?? '127.0.0.1'
  const token = options.token ?? randomBytes(24).toString('base64url')
  const files = (options.files ?? []).map((f) => (urlSchemeOf(f) === null ? resolve(f) : f))
  const allowed = new Set(files)
  const rendererDir = resolve(options.rendererDir)
  const services = new Set<TextureService>()
  const connections = new Set<Promise<void>>()
  /** Connections so far: names each one's batch of command-line files. */
  let connectionCount = 0

  const server: Server = createServer(staticFileHandler(rendererDir, readRendererCsp(join(rendererDir, 'index.html'))))
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload ?? 16 * 1024 * 1024 })
  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(options.port ?? 0, host, () => ok())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0)
  const urlHost = host.includes(':') ? `[${host}]` : host
  const origins = new Set([`http://${urlHost}:${port}`, `http://localhost:${port}`, `http://127.0.0.1:${port}`, `http://[::1]:${port}`])

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = refuse(req, token, origins)
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal.status}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${refusal.reason}\r\n`)
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws))
  })

  function connect(ws: WebSocket): void {
    const maxBufferedBytes = options.maxBufferedBytes ?? MAX_BUFFERED_BYTES
    const sink = webSocketSink(ws, maxBufferedBytes)
    const service = new TextureService({
      sink,
      openRaster: options.openRaster,
      maxWorkers: options.maxWorkers,
      mayOpenPath: (path) => options.allowPaths === true || allowed.has(resolve(path)),
      uploadRoot: options.uploadRoot ?? tmpdir()
    })
    services.add(service)
    const done = serveOverWebSocket(ws, service, maxBufferedBytes).finally(() => {
      services.delete(service)
      connections.delete(done)
    })
    connections.add(done)
    // Each connection opens the command-line files itself: rasters belong to one connection. They
    // open at once, and each says its place in the order given: the renderer stacks them so.
    const batch = `command-line:${++connectionCount}`
    files.forEach((file, index) => {
      const slot = { batch, index, size: files.length }
      service.openHostPath(file, slot).catch((error: unknown) => {
        sink.send({ type: 'error', error: toErrorInfo(error, 'open-failed'), batch: slot, file })
      })
    })
  }

  let closing: Promise<void> | null = null
  return {
    url: `http://${urlHost}:${port}/?token=${token}`,
    port,
    token,
    services,
    close() {
      closing ??= (async () => {
        for (const ws of wss.clients) ws.terminate()
        await Promise.allSettled([...connections])
        await Promise.allSettled([...services].map((s) => s.close()))
        await new Promise<void>((ok) => wss.close(() => ok()))
        server.closeAllConnections()
        await new Promise<void>((ok) => server.close(() => ok()))
      })()
      return closing
    }
  }
}

/** Why an upgrade request is refused, or null when it is accepted. */
export function refuse(req: IncomingMessage, token: string, origins: ReadonlySet<string>): { status: string; reason: string } | null {
  const url = new URL(req.url ?? '/', 'http://placeholder')
  if (url.pathname !== '/ws') return { status: '404 Not Found', reason: 'The WebSocket endpoint is /ws' }
  const given = url.searchParams.get('token') ?? ''
  if (!sameToken(given, token)) return { status: '401 Unauthorized', reason: 'Missing or wrong session token: open the URL printed by npm run serve' }
  const origin = req.headers.origin
  if (origin !== undefined && !origins.has(origin)) return { status: '403 Forbidden', reason: `Foreign origin ${origin} refused` }
  return null
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}
