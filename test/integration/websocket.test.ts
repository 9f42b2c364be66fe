/**
 * The `serve` host over real sockets on 127.0.0.1: a Node `ws` client and the renderer's own
 * WebSocketBridge talk to real TextureServices that decode real files in real worker threads.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startServeHost, type ServeHost } from '../../src/main/host/serveHost'
import { closeRasterRuntime, rasterOpener } from '../../src/main/host/rasterOpener'
import { WebSocketBridge, type WebSocketLike } from '../../src/renderer/bridge/WebSocketBridge'
import { decodeTileFrame } from '../../src/shared/tileFrame'
import { tileKey } from '../../src/shared/tiles'
import type { OpenedRaster, ServerMessage, ServiceStats, TileMessage } from '../../src/shared/protocol'
import { expectedTile, makeServiceFixtures, streamingScenario, type ServiceFixtures } from '../helpers/serviceFixtures'

let fixtures: ServiceFixtures
let host: ServeHost
const clients: Client[] = []

/** A test client: records JSON messages and tile frames in arrival order. */
class Client {
  readonly messages: ServerMessage[] = []
  readonly tiles: TileMessage[] = []
  /** Every arrival in order: 'tile:<key>' or 'msg:<type>'. */
  readonly arrivals: string[] = []
  private waiters: Array<() => void> = []
  private nextId = 1
  constructor(readonly socket: WebSocket) {
    socket.binaryType = 'arraybuffer'
    socket.on('message', (data: ArrayBuffer | Buffer, isBinary: boolean) => {
      if (isBinary) {
        const tile = decodeTileFrame(data as ArrayBuffer)
        this.tiles.push(tile)
        this.arrivals.push(`tile:${tileKey(tile.header)}`)
      } else {
        const message = JSON.parse(Buffer.from(data as ArrayBuffer).toString()) as ServerMessage
        this.messages.push(message)
        this.arrivals.push(`msg:${message.type}`)
      }
      for (const wake of this.waiters.splice(0)) wake()
    })
  }
  async until(predicate: () => boolean): Promise<void> {
    while (!predicate()) await new Promise<void>((resolve) => this.waiters.push(resolve))
  }
  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message))
  }
  async call(message: Record<string, unknown>): Promise<ServerMessage> {
    const id = this.nextId++
    this.send({ ...message, id })
    let reply: ServerMessage | undefined
    await this.until(() => (reply = this.messages.find((m) => (m.type === 'reply' || m.type === 'reply-error') && m.id === id)) !== undefined)
    return reply!
  }
  ofType<T extends ServerMessage['type']>(type: T): Array<Extract<ServerMessage, { type: T }>> {
    return this.messages.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type)
  }
}

function wsUrl(token = host.token, path = '/ws'): string {
  return `ws://127.0.0.1:${host.port}${path}?token=${token}`
}

async function connect(options: WebSocket.ClientOptions = {}): Promise<Client> {
  const socket = new WebSocket(wsUrl(), options)
  const client = new Client(socket)
  clients.push(client)
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  return client
}

/** Status code of a refused upgrade. */
function refusedStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers })
    socket.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      socket.terminate()
    })
    socket.on('open', () => reject(new Error('connection was accepted')))
    socket.on('error', () => undefined)
  })
}

function httpGet(path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: host.port, path, method: 'GET' }, (res) => {
      let body = ''
      res.on('data', (chunk: Buffer) => (body += chunk.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

beforeAll(async () => {
  fixtures = await makeServiceFixtures()
  const rendererDir = join(fixtures.dir, 'renderer')
  mkdirSync(join(rendererDir, 'assets'), { recursive: true })
  writeFileSync(
    join(rendererDir, 'index.html'),
    `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'" /></head><body>Tessera</body></html>`
  )
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
  host = await startServeHost({ rendererDir, openRaster: rasterOpener, files: [fixtures.tiledTiff], maxWorkers: 4, uploadRoot: fixtures.dir })
})

afterAll(async () => {
  for (const client of clients) client.socket.terminate()
  await host?.close()
  await closeRasterRuntime()
  fixtures?.remove()
})

describe('serve host over a WebSocket', () => {
  it('opens the command-line files for each connection and pushes raster-opened', async () => {
    const client = await connect()
    await client.until(() => client.ofType('raster-opened').length === 1)
    expect(client.ofType('raster-opened')[0]!.info).toMatchObject({ name: 'big.tif', width: 4096 })
  })

  it('streams every kept tile exactly once with the right bytes, and no cancelled tile after the cancel', async () => {
    const client = await connect()
    await client.until(() => client.ofType('raster-opened').length === 1)
    const { rasterId } = client.ofType('raster-opened')[0]!
    const tiles = streamingScenario()
    const keep = new Set(tiles.filter((t) => t.row % 3 !== 1).map((t) => tileKey({ rasterId, ...t })))
    client.send({ type: 'request', rasterId, tiles })
    await client.until(() => client.tiles.length >= 20)
    client.send({ type: 'cancel-obsolete', rasterId, keep: [...keep] })
    await client.call({ type: 'stats' }) // processed after the cancel: any dropped tile after its reply would be a bug
    const afterCancel = client.arrivals.length
    const received = (): string[] => client.tiles.map((t) => tileKey(t.header))
    await client.until(() => [...keep].every((k) => received().includes(k)))
    let stats: ServiceStats
    do stats = ((await client.call({ type: 'stats' })) as Extract<ServerMessage, { type: 'reply' }>).result as ServiceStats
    while (stats.pending + stats.active > 0)

    const keys = received()
    expect(new Set(keys).size).toBe(keys.length)
    expect(client.arrivals.slice(afterCancel).filter((a) => a.startsWith('tile:') && !keep.has(a.slice(5)))).toEqual([])
    const droppedDelivered = keys.filter((k) => !keep.has(k)).length
    expect(droppedDelivered + stats.cancelled).toBe(tiles.length - keep.size)
    for (const tile of client.tiles) {
      const bytes = Buffer.from(tile.data.buffer, tile.data.byteOffset, tile.data.byteLength)
      expect(bytes.equals(Buffer.from(expectedTile(4096, 4096, 256, tile.header.col, tile.header.row)))).toBe(true)
    }
    expect(stats.bytesSent).toBeGreaterThan(keys.length * 256 * 256 * 4)
  })

  it('answers bad messages, unknown rasters and out-of-range tiles with clear errors and stays up', async () => {
    const client = await connect()
    await client.until(() => client.ofType('raster-opened').length === 1)
    const { rasterId } = client.ofType('raster-opened')[0]!
    client.send('{ not json')
    client.send({ type: 'request', rasterId: 'nope', tiles: [] })
    client.socket.send(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]))
    client.send({ type: 'request', rasterId, tiles: [{ level: 0, col: 99, row: 0, priority: 1 }] })
    expect(await client.call({ type: 'configure', scheduling: 'random' })).toMatchObject({
      type: 'reply-error',
      error: { code: 'bad-message', message: `Expected 'priority' or 'fifo' for scheduling but received "random" of type string` }
    })
    await client.until(() => client.ofType('tile-failed').length === 1)
    expect(client.ofType('error').map((e) => e.error.code)).toEqual(['bad-message', 'unknown-raster', 'bad-message'])
    expect(client.ofType('tile-failed')[0]).toMatchObject({ key: `${rasterId}/0/99/0`, error: { code: 'out-of-range' } })
    expect(await client.call({ type: 'stats' })).toMatchObject({ type: 'reply', result: { openRasters: 1 } })
    expect(client.socket.readyState).toBe(WebSocket.OPEN)
  })

  it('refuses a missing or wrong token, a foreign origin and another path, and stays up', async () => {
    expect(await refusedStatus(`ws://127.0.0.1:${host.port}/ws`)).toBe(401)
    expect(await refusedStatus(wsUrl('wrong-token'))).toBe(401)
    expect(await refusedStatus(wsUrl(), { Origin: 'http://evil.example' })).toBe(403)
    expect(await refusedStatus(wsUrl(host.token, '/socket'))).toBe(404)
    const client = await connect({ origin: `http://127.0.0.1:${host.port}` })
    expect(await client.call({ type: 'stats' })).toMatchObject({ type: 'reply' })
  })

  it('opens by server path only the files given on the command line', async () => {
    const client = await connect()
    expect(await client.call({ type: 'open', path: fixtures.png })).toMatchObject({ type: 'reply-error', error: { code: 'not-allowed' } })
    expect(await client.call({ type: 'open', path: fixtures.tiledTiff })).toMatchObject({ type: 'reply', result: { info: { name: 'big.tif' } } })
  })

  it('closes the service of a connection that closes', async () => {
    const client = await connect()
    await client.until(() => client.ofType('raster-opened').length === 1)
    const before = host.services.size
    const closed = new Promise((resolve) => client.socket.once('close', resolve))
    client.socket.close()
    await closed
    await new Promise<void>(function wait(resolve) {
      if (host.services.size < before) resolve()
      else setImmediate(() => wait(resolve))
    })
    expect(host.services.size).toBe(before - 1)
  })

  it('serves the renderer with its CSP and refuses paths outside it', async () => {
    const index = await httpGet('/?token=x')
    expect(index.status).toBe(200)
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(index.headers['content-security-policy']).toBe("default-src 'self'; script-src 'self'")
    expect((await httpGet('/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect((await httpGet('/../big.tif')).status).toBe(403)
    expect((await httpGet('/%2e%2e/big.tif')).status).toBe(403)
    expect((await httpGet('/missing.js')).status).toBe(404)
  })
})

describe('WebSocketBridge against the host', () => {
  function bridge(): WebSocketBridge {
    return new WebSocketBridge({ url: wsUrl(), createSocket: (url) => new WebSocket(url) as unknown as WebSocketLike, chunkSize: 256 * 1024, reconnectDelay: 20 })
  }

  it('receives command-line rasters, tiles, and uploads a dropped file with progress', async () => {
    const b = bridge()
    try {
      const opened = await new Promise<OpenedRaster>((resolve) => b.on('raster-opened', resolve))
      const tiles: TileMessage[] = []
      const got = new Promise<void>((resolve) => b.on('tile', (tile) => tiles.push(tile) === 2 && resolve()))
      b.requestTiles(opened.rasterId, [
        { level: 0, col: 5, row: 5, priority: 1 },
        { level: 0, col: 6, row: 5, priority: 2 }
      ])
      await got
      expect(tiles.map((t) => t.header.col).sort()).toEqual([5, 6])

      const bytes = await readFile(fixtures.png)
      const progress: number[] = []
      const file = new File([bytes], 'dropped.png', { type: 'image/png' })
      const uploaded = await b.openFile(file, (p) => progress.push(p.sentBytes))
      expect(uploaded.info).toMatchObject({ name: 'dropped.png', width: 2048 })
      expect(progress.at(-1)).toBe(bytes.byteLength)
      expect(progress.length).toBeGreaterThan(2)
      await b.close(uploaded.rasterId)
      await expect(b.close(uploaded.rasterId)).rejects.toMatchObject({ code: 'unknown-raster' })
      expect(await b.stats()).toMatchObject({ openRasters: 1 })
    } finally {
      b.dispose()
    }
  })

  it('reconnects with backoff after the host goes away and comes back, and says so', async () => {
    const options = { rendererDir: join(fixtures.dir, 'renderer'), openRaster: rasterOpener, maxWorkers: 2, token: 'fixed-token' }
    let second = await startServeHost(options)
    const port = second.port
    const b = new WebSocketBridge({
      url: `ws://127.0.0.1:${port}/ws?token=fixed-token`,
      createSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
      reconnectDelay: 20
    })
    try {
      const states: string[] = []
      b.on('connection', (state) => states.push(state))
      expect(await b.stats()).toMatchObject({ openRasters: 0 })
      const closed = new Promise<void>((resolve) => b.on('connection', (state) => state === 'closed' && resolve()))
      await second.close()
      await closed
      second = await startServeHost({ ...options, port })
      const stats = b.stats() // waits for the connection to come back
      expect(await stats).toMatchObject({ openRasters: 0, tilesSent: 0 })
      expect(states).toEqual(['open', 'closed', 'open'])
    } finally {
      b.dispose()
      await second.close()
    }
  })
})
