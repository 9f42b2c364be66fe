/**
 * Benchmark suite `stream` (issue 4).
 *
 * Measures, on loopback, in one run:
 * - tiles/s and MB/s from a TextureService (the real `serve` host: validation, loader, decode pool
 *   cutting tiles from an image held in memory, tile framing, `ws`) to a Node WebSocket client,
 *   against a raw `ws` server sending the very same frames to the same kind of client.
 *   Baseline: raw ws; goal ≥ 0.7×.
 * - per-tile latency from request to arrival, p50 and p95, at a light load (one tile in flight)
 *   and at a saturating load (every tile of the image requested at once). No baseline; reported.
 * - a JPEG-compressed tiled pyramidal TIFF (read in place) streamed to a client that accepts 'jpeg'
 *   (`tile-encodings`: the file's own JPEG tiles, as stored) against one that does not (tiles
 *   decoded to RGBA8), in the same run, rounds interleaved: bytes per tile and tiles/s. The client
 *   does not decode the JPEG (the renderer does, in its tile worker): this is the host and the wire.
 * Electron's MessagePort path (MessageChannelMain) cannot run here (no Electron binary): it is
 * not measured, and the output says so.
 * Run: node --import tsx bench/stream.ts [--quick]. Writes bench/results/stream.json.
 */
import { registerModulePathHook } from './modulePathHook'
import type { ResultRow } from './report'
import { printTable, writeSuiteResult } from './report'
import { existsSync, mkdirSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { AddressInfo } from 'node:net'

registerModulePathHook()

const { default: sharp } = await import('sharp')
const { default: WebSocket, WebSocketServer } = await import('ws')
const { startServeHost } = await import('../src/main/host/serveHost')
const { closeRasterRuntime, rasterOpener, tileWorkerCount } = await import('../src/main/host/rasterOpener')
const { decodeTileFrame, decodeTileFramePayload } = await import('../src/shared/tileFrame')
const { noisyGradient, sharpTiledTiff } = await import('../test/helpers/jpegTiffs')
const { tileKey, tileGrid } = await import('../src/shared/tiles')
type OpenedRaster = import('../src/shared/protocol').OpenedRaster
type ServerMessage = import('../src/shared/protocol').ServerMessage
type TileRequest = import('../src/shared/protocol').TileRequest

type Row = ResultRow

const quick = process.argv.includes('--quick')
const side = quick ? 2048 : 3840 // ≤ 16 megapixels: decoded once, tiles cut from memory
const rounds = quick ? 3 : 10
const lightSamples = quick ? 50 : 200
const cacheRoot = resolve('bench/.cache')
mkdirSync(cacheRoot, { recursive: true })
const rows: Row[] = []
const round = (n: number, digits = 3): number => Number(n.toPrecision(digits))

async function makeImage(): Promise<string> {
  const file = join(cacheRoot, `stream-${side}.png`)
  if (existsSync(file)) return file
  const svg = `<svg width="${side}" height="${side}"><rect width="${side}" height="${side}" fill="#246"/>${Array.from({ length: 120 }, (_, i) => `<circle cx="${(i * 7919) % side}" cy="${(i * 104729) % side}" r="${30 + (i % 13) * 25}" fill="hsl(${i * 37},70%,50%)"/>`).join('')}</svg>`
  await sharp(Buffer.from(svg)).png({ compressionLevel: 1 }).toFile(file)
  return file
}

/** A client of the host: JSON messages and tiles, with the arrival time of each tile. */
class Client {
  readonly socket: InstanceType<typeof WebSocket>
  private id = 1
  private replies = new Map<number, (m: ServerMessage) => void>()
  onTile: (key: string, bytes: number, at: number) => void = () => undefined
  onMessage: (m: ServerMessage) => void = () => undefined
  constructor(url: string) {
    this.socket = new WebSocket(url)
    this.socket.binaryType = 'arraybuffer'
    this.socket.on('message', (data: ArrayBuffer, isBinary: boolean) => {
      const at = performance.now()
      if (isBinary) {
        const tile = decodeTileFrame(data)
        this.onTile(tileKey(tile.header), data.byteLength, at)
        return
      }
      const message = JSON.parse(Buffer.from(data).toString()) as ServerMessage
      if ((message.type === 'reply' || message.type === 'reply-error') && this.replies.has(message.id)) {
        this.replies.get(message.id)!(message)
        this.replies.delete(message.id)
      } else this.onMessage(message)
    })
  }
  call(body: Record<string, unknown>): Promise<ServerMessage> {
    const id = this.id++
    return new Promise((ok) => {
      this.replies.set(id, ok)
      this.socket.send(JSON.stringify({ ...body, id }))
    })
  }
  request(rasterId: string, tiles: TileRequest[]): void {
    this.socket.send(JSON.stringify({ type: 'request', rasterId, tiles }))
  }
}

function allTiles(opened: OpenedRaster): TileRequest[] {
  const tiles: TileRequest[] = []
  opened.info.levels.forEach((level, index) => {
    const { cols, rows } = tileGrid(level, opened.info.tileSize)
    for (let row = 0; row < rows; row++) for (let col = 0; col < cols; col++) tiles.push({ level: index, col, row, priority: 1, rank: tiles.length })
  })
  return tiles
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

/** Requests `tiles` at once and resolves with per-tile latency (ms) and the frames' total bytes. */
function burst(client: Client, rasterId: string, tiles: TileRequest[]): Promise<{ latencies: number[]; bytes: number; seconds: number }> {
  return new Promise((done) => {
    const waiting = new Set(tiles.map((t) => tileKey({ rasterId, ...t })))
    const latencies: number[] = []
    let bytes = 0
    const start = performance.now()
    client.onTile = (key, size, at) => {
      if (!waiting.delete(key)) return
      latencies.push(at - start)
      bytes += size
      if (waiting.size === 0) done({ latencies, bytes, seconds: (performance.now() - start) / 1000 })
    }
    client.request(rasterId, tiles)
  })
}

const image = await makeImage()
const host = await startServeHost({ rendererDir: cacheRoot, openRaster: rasterOpener, files: [image], maxWorkers: tileWorkerCount() })
const client = new Client(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`)
const opened = await new Promise<OpenedRaster>((ok) => {
  client.onMessage = (m) => {
    if (m.type === 'raster-opened') ok({ rasterId: m.rasterId, info: m.info })
    else console.error('[stream] unexpected', JSON.stringify(m))
  }
})
const tiles = allTiles(opened)
console.log(`stream: ${side}² image (${opened.info.strategy}), ${tiles.length} tiles per round, ${rounds} rounds, ${tileWorkerCount()} tile workers, ${availableParallelism()} cores`)

// Warm-up: the first round pays for the decode of the image.
await burst(client, opened.rasterId, tiles)

// Throughput through the service.
let serviceTiles = 0
let serviceBytes = 0
let serviceSeconds = 0
const saturated: number[] = []
for (let r = 0; r < rounds; r++) {
  const result = await burst(client, opened.rasterId, tiles)
  serviceTiles += tiles.length
  serviceBytes += result.bytes
  serviceSeconds += result.seconds
  saturated.push(...result.latencies)
}

// Light load: one tile in flight at a time.
const light: number[] = []
for (let i = 0; i < lightSamples; i++) {
  const tile = tiles[(i * 7) % tiles.length]!
  light.push((await burst(client, opened.rasterId, [tile])).latencies[0]!)
}

// The same frames, captured once, sent by a raw ws server to the same kind of client.
const frames: Uint8Array[] = await new Promise((ok) => {
  const raw = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`)
  raw.binaryType = 'arraybuffer'
  const collected: Uint8Array[] = []
  let rasterId = ''
  raw.on('message', (data: ArrayBuffer, isBinary: boolean) => {
    if (!isBinary) {
      const m = JSON.parse(Buffer.from(data).toString()) as ServerMessage
      if (m.type === 'raster-opened') {
        rasterId = m.rasterId
        raw.send(JSON.stringify({ type: 'request', rasterId, tiles }))
      }
      return
    }
    collected.push(new Uint8Array(data))
    if (collected.length === tiles.length) {
      raw.close()
      ok(collected)
    }
  })
})
await host.close()

// Stored JPEG tiles vs decoded tiles of a JPEG TIFF, two connections of one host, rounds interleaved.
const jpegSide = quick ? 2048 : 4096
async function makeJpegTiff(): Promise<string> {
  const file = join(cacheRoot, `stream-jpeg-${jpegSide}.tif`)
  if (!existsSync(file)) await sharpTiledTiff(file, noisyGradient(jpegSide, jpegSide), jpegSide, jpegSide, 'jpeg')
  return file
}

/** A connection that asks for every tile of the TIFF at once; `accept` is what it says it decodes. */
async function encodingClient(url: string, accept: string[]): Promise<{ round: () => Promise<{ seconds: number; bytes: number; encoded: number; count: number }>; close: () => void }> {
  const socket = new WebSocket(url)
  socket.binaryType = 'arraybuffer'
  let onFrame: (data: ArrayBuffer) => void = () => undefined
  let opened: OpenedRaster | null = null
  const ready = new Promise<void>((ok) => {
    socket.on('message', (data: ArrayBuffer, isBinary: boolean) => {
      if (isBinary) return onFrame(data)
      const m = JSON.parse(Buffer.from(data).toString()) as ServerMessage
      if (m.type === 'raster-opened') {
        opened = { rasterId: m.rasterId, info: m.info }
        socket.send(JSON.stringify({ type: 'tile-encodings', id: 1, accept }))
      } else if (m.type === 'reply' && m.id === 1) ok()
      else if (m.type === 'tile-failed' || m.type === 'error' || m.type === 'reply-error') console.error('[stream] jpeg', JSON.stringify(m))
    })
  })
  await ready
  const raster = opened!
  const wanted = allTiles(raster)
  const round = (): Promise<{ seconds: number; bytes: number; encoded: number; count: number }> =>
    new Promise((ok) => {
      let count = 0
      let bytes = 0
      let encoded = 0
      const start = performance.now()
      onFrame = (data) => {
        // Header only: a stored JPEG is decoded by the renderer's tile worker, not here.
        const { header } = decodeTileFramePayload(data)
        if (header.encoding) encoded++
        else decodeTileFrame(data)
        bytes += data.byteLength
        if (++count === wanted.length) ok({ seconds: (performance.now() - start) / 1000, bytes, encoded, count })
      }
      socket.send(JSON.stringify({ type: 'request', rasterId: raster.rasterId, tiles: wanted }))
    })
  return { round, close: () => socket.close() }
}

const jpegTiff = await makeJpegTiff()
const jpegHost = await startServeHost({ rendererDir: cacheRoot, openRaster: rasterOpener, files: [jpegTiff], maxWorkers: tileWorkerCount() })
const jpegUrl = `ws://127.0.0.1:${jpegHost.port}/ws?token=${jpegHost.token}`
const decodedClient = await encodingClient(jpegUrl, [])
const storedClient = await encodingClient(jpegUrl, ['jpeg'])
const jpegTotals = { decoded: { seconds: 0, bytes: 0, count: 0, encoded: 0 }, stored: { seconds: 0, bytes: 0, count: 0, encoded: 0 } }
// A warm-up round each (file cache, workers), then rounds one after the other, never at once.
await decodedClient.round()
await storedClient.round()
for (let r = 0; r < rounds; r++) {
  for (const [which, c] of [['decoded', decodedClient], ['stored', storedClient]] as const) {
    const result = await c.round()
    const total = jpegTotals[which]
    total.seconds += result.seconds
    total.bytes += result.bytes
    total.count += result.count
    total.encoded += result.encoded
  }
}
decodedClient.close()
storedClient.close()
await jpegHost.close()
await closeRasterRuntime()

// The service again, with a source that hands back the captured pixels at once: what the service,
// its loader, the framing and ws cost without any decoding.
const prepared = new Map<string, import('../src/main/raster/types').DecodedTile>()
for (const frame of frames) {
  const { header, data } = decodeTileFrame(frame)
  prepared.set(`${header.level}/${header.col}/${header.row}`, { width: header.width, height: header.height, channels: header.channels, data: data as Uint8Array })
}
const preparedSource = {
  info: opened.info,
  readTile: async (level: number, col: number, row: number) => prepared.get(`${level}/${col}/${row}`)!,
  close: async () => undefined
}
const preparedHost = await startServeHost({ rendererDir: cacheRoot, openRaster: async () => preparedSource, files: [image], maxWorkers: tileWorkerCount() })
const preparedClient = new Client(`ws://127.0.0.1:${preparedHost.port}/ws?token=${preparedHost.token}`)
const preparedRaster = await new Promise<OpenedRaster>((ok) => {
  preparedClient.onMessage = (m) => m.type === 'raster-opened' && ok({ rasterId: m.rasterId, info: m.info })
})
await burst(preparedClient, preparedRaster.rasterId, tiles)
let preparedSeconds = 0
for (let r = 0; r < rounds; r++) preparedSeconds += (await burst(preparedClient, preparedRaster.rasterId, tiles)).seconds
await preparedHost.close()

const rawServer = new WebSocketServer({ host: '127.0.0.1', port: 0 })
await new Promise((ok) => rawServer.once('listening', ok))
const rawPort = (rawServer.address() as AddressInfo).port
rawServer.on('connection', (socket) => {
  socket.on('message', () => {
    for (const frame of frames) socket.send(frame, { binary: true })
  })
})
let rawSeconds = 0
let rawBytes = 0
const rawClient = new WebSocket(`ws://127.0.0.1:${rawPort}`)
rawClient.binaryType = 'arraybuffer'
await new Promise((ok) => rawClient.once('open', ok))
for (let r = 0; r <= rounds; r++) {
  const result = await new Promise<{ seconds: number; bytes: number }>((ok) => {
    let count = 0
    let bytes = 0
    const start = performance.now()
    const onMessage = (data: ArrayBuffer): void => {
      decodeTileFrame(data) // the service's client parses every frame too
      bytes += data.byteLength
      if (++count === frames.length) {
        rawClient.off('message', onMessage)
        ok({ seconds: (performance.now() - start) / 1000, bytes })
      }
    }
    rawClient.on('message', onMessage)
    rawClient.send('go')
  })
  if (r > 0) {
    rawSeconds += result.seconds
    rawBytes += result.bytes
  }
}
rawClient.close()
await new Promise((ok) => rawServer.close(ok))

const serviceTilesPerSecond = serviceTiles / serviceSeconds
const rawTilesPerSecond = (frames.length * rounds) / rawSeconds
const serviceMBps = serviceBytes / 1e6 / serviceSeconds
const rawMBps = rawBytes / 1e6 / rawSeconds
const ratioTiles = serviceTilesPerSecond / rawTilesPerSecond
const ratioBytes = serviceMBps / rawMBps
rows.push(
  { figure: 'tiles/s, service (decode pool cuts tiles from memory) → ws client vs raw ws, same frames', value: round(serviceTilesPerSecond), unit: 'tiles/s', baseline: round(rawTilesPerSecond), ratio: round(ratioTiles), goal: '≥ 0.7×', met: ratioTiles >= 0.7 },
  { figure: 'MB/s, service (decode pool cuts tiles from memory) → ws client vs raw ws, same frames', value: round(serviceMBps), unit: 'MB/s', baseline: round(rawMBps), ratio: round(ratioBytes), goal: '≥ 0.7×', met: ratioBytes >= 0.7 },
  {
    figure: 'tiles/s, service with tiles already decoded (loader + framing + ws only) vs raw ws',
    value: round((tiles.length * rounds) / preparedSeconds),
    unit: 'tiles/s',
    baseline: round(rawTilesPerSecond),
    ratio: round((tiles.length * rounds) / preparedSeconds / rawTilesPerSecond),
    goal: '≥ 0.7×',
    met: (tiles.length * rounds) / preparedSeconds / rawTilesPerSecond >= 0.7
  },
  { figure: 'latency p50, light load (one tile in flight)', value: round(percentile(light, 50)), unit: 'ms', baseline: null, ratio: null, goal: 'reported', met: null },
  { figure: 'latency p95, light load (one tile in flight)', value: round(percentile(light, 95)), unit: 'ms', baseline: null, ratio: null, goal: 'reported', met: null },
  { figure: `latency p50, saturating load (${tiles.length} tiles at once)`, value: round(percentile(saturated, 50)), unit: 'ms', baseline: null, ratio: null, goal: 'reported', met: null },
  { figure: `latency p95, saturating load (${tiles.length} tiles at once)`, value: round(percentile(saturated, 95)), unit: 'ms', baseline: null, ratio: null, goal: 'reported', met: null }
)

{
  const { decoded, stored } = jpegTotals
  const perTile = (t: typeof decoded): number => t.bytes / t.count
  const rate = (t: typeof decoded): number => t.count / t.seconds
  const what = `${jpegSide}² JPEG TIFF (sharp pyramid, q 85, tiled in place), every tile of every level`
  rows.push(
    { figure: `bytes per tile, stored JPEG tiles ('jpeg' accepted) vs decoded RGBA8, ${what}`, value: round(perTile(stored)), unit: 'B/tile', baseline: round(perTile(decoded)), ratio: round(perTile(stored) / perTile(decoded)), goal: 'reported', met: null },
    { figure: `tiles/s, stored JPEG tiles vs decoded RGBA8, ${what} → ws client (no JPEG decode on the client)`, value: round(rate(stored)), unit: 'tiles/s', baseline: round(rate(decoded)), ratio: round(rate(stored) / rate(decoded)), goal: 'reported', met: null },
    { figure: `share of tiles sent as stored JPEG to the client that accepts it, ${what}`, value: round(stored.encoded / stored.count), unit: 'fraction', baseline: null, ratio: null, goal: 'reported', met: null }
  )
  if (decoded.encoded !== 0) throw new Error(`a client that accepts no encoding received ${decoded.encoded} stored tiles`)
}

const note = 'Electron MessagePort path not measured: no Electron binary on this machine.'
printTable(rows)
writeSuiteResult('stream', rows, { quick, notes: [note] })
console.log(note)
// Sockets and worker handles of the hosts above may linger a moment after close: do not wait on them.
process.exit(0)
