/**
 * Hostile messages over the WebSocket host (issue 7): the real `serve` host on 127.0.0.1, a real
 * `ws` client holding the token and a good Origin, and fast-check-generated frames — text that is
 * not JSON, JSON of every wrong shape, unknown methods and raster ids, tile coordinates negative,
 * fractional, huge or outside the pyramid, huge arrays, deep nesting, binary garbage and damaged
 * upload frames (TSU1), a frame over the host's payload limit, a burst of 100,000 tile requests.
 * Each refusal is answered (a reply for a call's id, else one `error` event), the connection and
 * the host stay up, a bystander connection is served throughout, the connection's queue stays
 * under its cap and empties, and the heap does not grow across rounds.
 * The host opens a real 512² tiled TIFF (decoded by sharp in worker threads) and, so that requests
 * pile up, a stub at the opener's edge: a huge grid whose tiles come back after a short wait.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import fc from 'fast-check'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startServeHost, type ServeHost } from '../../src/main/host/serveHost'
import { closeRasterRuntime, rasterOpener } from '../../src/main/host/rasterOpener'
import type { RasterOpener } from '../../src/main/service/types'
import { TextureService } from '../../src/main/service/TextureService'
import { decodeTileFrame } from '../../src/shared/tileFrame'
import { encodeUploadFrame } from '../../src/shared/uploadFrame'
import { callIdOf, MESSAGE_LIMITS } from '../../src/shared/validate'
import { tileKey } from '../../src/shared/tiles'
import type { ReplyMessage, ServerMessage, ServiceStats, TileMessage } from '../../src/shared/protocol'
import { collector } from '../helpers/gc'
import { anyValueOf, ERROR_CODES, EXPECTED_PATTERN, isAnsweredCall, isWellFormed, nearTileMessage, owedError } from '../helpers/hostileMessages'
import { tempDir } from '../helpers/images'
import { expectedTile, makePixels, slowStubRaster } from '../helpers/serviceFixtures'

const SIDE = 1 << 24 // 65536 × 65536 tiles at level 0
const SMALL = 512 // the real TIFF: 2 × 2 tiles at level 0, 1 at level 1
/** The per-connection cap of the host's services (it does not change TextureService's default). */
const CAP = TextureService.defaultOptions.maxPending
const NOT_JSON = 'Expected JSON text for message but received text that does not parse'

const tmp = tempDir('tessera-ws-fuzz-')
let tiff: string
let huge: string
let host: ServeHost
let bystander: Client
const clients: Client[] = []

/** The real opener, except for the huge stub. */
const opener: RasterOpener = (path, hooks, version) => (resolve(path) === huge ? Promise.resolve(slowStubRaster(SIDE, 2)) : rasterOpener(path, hooks, version))

/** A test client: JSON messages and tile frames in arrival order; calls and flushes by id. */
class Client {
  messages: ServerMessage[] = []
  tiles: TileMessage[] = []
  closeCode: number | null = null
  private waiters: Array<() => void> = []
  private sentinel = 1e12 // call ids of the test's own calls: far from the fuzzed ones
  service!: TextureService
  rasters = new Map<string, string>() // name → raster id of the rasters the host opened for it
  constructor(readonly socket: WebSocket) {
    socket.binaryType = 'arraybuffer'
    socket.on('message', (data: ArrayBuffer, isBinary: boolean) => {
      if (isBinary) this.tiles.push(decodeTileFrame(data))
      else this.messages.push(JSON.parse(Buffer.from(data).toString()) as ServerMessage)
      this.wake()
    })
    socket.on('close', (code) => {
      this.closeCode = code
      this.wake()
    })
  }
  async until(predicate: () => boolean): Promise<void> {
    while (!predicate()) await new Promise<void>((done) => this.waiters.push(done))
  }
  send(text: string): void {
    this.socket.send(text)
  }
  /** Sends a call with the test's own id and resolves with its reply. */
  async call(message: Record<string, unknown>): Promise<ServerMessage> {
    const id = this.sentinel++
    this.send(JSON.stringify({ ...message, id }))
    return this.replyTo(id, 0)
  }
  /** The first reply for `id` that arrives at or after message index `from`. */
  async replyTo(id: number, from: number): Promise<ServerMessage> {
    let reply: ServerMessage | undefined
    const find = (): ServerMessage | undefined => this.messages.slice(from).find((m) => (m.type === 'reply' || m.type === 'reply-error') && m.id === id)
    await this.until(() => (reply = find()) !== undefined || this.closeCode !== null)
    if (!reply) throw new Error(`the connection closed (${this.closeCode}) before the reply to ${id}`)
    return reply
  }
  /** Resolves once the host has handled (and answered) every frame sent before. */
  async flush(): Promise<void> {
    await this.call({ type: 'stats' })
  }
  errorsFrom(index: number): Array<Extract<ServerMessage, { type: 'error' }>> {
    return this.messages.slice(index).filter((m): m is Extract<ServerMessage, { type: 'error' }> => m.type === 'error')
  }
  /** Drops what was recorded (long rounds would otherwise hold every message). */
  forget(): void {
    this.messages = []
    this.tiles = []
  }
  private wake(): void {
    for (const done of this.waiters.splice(0)) done()
  }
}

/** Connects with the token and the host's own Origin; resolves once the command-line rasters are open. */
async function connect(to: ServeHost = host, rasterCount = 2): Promise<Client> {
  const before = new Set(to.services)
  const socket = new WebSocket(`ws://127.0.0.1:${to.port}/ws?token=${to.token}`, { origin: `http://127.0.0.1:${to.port}` })
  const client = new Client(socket)
  clients.push(client)
  await new Promise<void>((done, fail) => {
    socket.once('open', () => done())
    socket.once('error', fail)
  })
  await client.until(() => client.messages.filter((m) => m.type === 'raster-opened').length === rasterCount)
  for (const m of client.messages) if (m.type === 'raster-opened') client.rasters.set(m.info.name, m.rasterId)
  client.service = [...to.services].find((s) => !before.has(s))!
  return client
}

/** Closes a client and resolves once the host has closed its service. */
async function disconnect(client: Client): Promise<void> {
  client.socket.close()
  await client.until(() => client.closeCode !== null)
  while (host.services.has(client.service)) await new Promise((done) => setTimeout(done, 5))
}

/** Asks `client` for tile (0, col, row) of the real TIFF and checks its bytes. */
async function servesRealTile(client: Client, rasterId: string, col: number, row: number): Promise<void> {
  const key = tileKey({ rasterId, level: 0, col, row })
  client.send(JSON.stringify({ type: 'request', rasterId, tiles: [{ level: 0, col, row, priority: 1 }] }))
  let tile: TileMessage | undefined
  await client.until(() => (tile = client.tiles.find((t) => tileKey(t.header) === key)) !== undefined)
  const bytes = Buffer.from(tile!.data.buffer, tile!.data.byteOffset, tile!.data.byteLength)
  expect(bytes.equals(Buffer.from(expectedTile(SMALL, SMALL, 256, col, row)))).toBe(true)
}

/** The bystander, connected before any hostility, is still served: a fresh tile, right bytes. */
let bystanderCol = 0
async function bystanderIsServed(): Promise<void> {
  const rasterId = bystander.rasters.get('small.tif')!
  // The TIFF has 4 level-0 tiles; a served tile is forgotten by the service, so asking again decodes again.
  await servesRealTile(bystander, rasterId, bystanderCol++ % 2, 1)
  bystander.forget()
  expect(bystander.closeCode).toBeNull()
}

/** Values of every type and shape (JSON carries no `undefined`). */
const anyValue = anyValueOf({ withUndefined: false })

/** Messages that look almost right: known and unknown types, fields of the wrong type, range or size. */
function hostileMessage(rasterIds: string[]): fc.Arbitrary<unknown> {
  const coordinate = fc.oneof(fc.integer({ min: -(2 ** 33), max: 2 ** 33 }), fc.integer({ min: -2, max: 3 }), fc.constantFrom(-1, 0.5, 1e-9, 2 ** 31, 2 ** 31 + 1, 2 ** 53, 1e308), anyValue)
  const ids = fc.oneof(fc.constantFrom(...rasterIds), fc.string({ maxLength: 200 }), fc.constant('r999'), fc.constant(`${rasterIds[0]}/0/0/0`), anyValue)
  const types = fc.oneof(fc.constantFrom('open', 'upload-begin', 'upload-end', 'close', 'stats', 'configure', 'request', 'cancel-obsolete', 'nope', 'reply', '__proto__'), anyValue)
  return fc.oneof(
    anyValue,
    nearTileMessage(coordinate, ids, anyValue),
    fc.record(
      {
        type: types,
        id: fc.oneof(fc.nat(), anyValue),
        path: fc.oneof(fc.string(), fc.constant('/etc/passwd'), fc.constant(huge), anyValue),
        name: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), anyValue),
        size: fc.oneof(fc.integer({ min: -1, max: 1000 }), fc.constant(MESSAGE_LIMITS.maxUploadSize + 1), anyValue),
        uploadId: anyValue,
        rasterId: ids,
        scheduling: fc.oneof(fc.constant('priority'), anyValue)
      },
      { requiredKeys: [] }
    )
  )
}

/** Text frames: JSON of hostile messages, text that is not JSON, JSON nested very deep. */
function hostileText(rasterIds: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: hostileMessage(rasterIds).map((m) => JSON.stringify(m) ?? 'undefined') },
    { weight: 2, arbitrary: fc.string({ maxLength: 100, unit: 'binary' }) },
    { weight: 1, arbitrary: fc.constantFrom('', '{', '{"type":"stats","id":1', 'null', '[]', '"open"', '1e999', '{"type":"request"}{}', '\u0000') },
    { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 50_000 }).map((n) => `{"type":"request","rasterId":"${rasterIds[0]}","tiles":${'['.repeat(n)}${']'.repeat(n)}}`) }
  )
}

/** Binary frames the host must refuse: garbage, and upload frames truncated or with a bad id, length or offset. */
function hostileBinary(knownUploadId: string, announcedSize: number): fc.Arbitrary<Uint8Array> {
  const frame = (id: string, offset: number, bytes: Uint8Array): Uint8Array => encodeUploadFrame(id, offset, bytes)
  const badOffset = fc.oneof(fc.integer({ min: 1, max: 2 ** 40 }), fc.constantFrom(-1, -0.5, 0.5, NaN, Infinity, -Infinity, 2 ** 53, 1e300))
  const chunk = fc.uint8Array({ maxLength: 64 })
  return fc.oneof(
    // Garbage; the first byte keeps it from starting with the 'TSU1' magic.
    fc.uint8Array({ maxLength: 200 }).map((bytes) => (bytes.length > 0 && bytes[0] === 0x54 ? bytes.subarray(1) : bytes)),
    // A valid frame of an upload that does not exist.
    fc.tuple(fc.string({ minLength: 1, maxLength: 40 }), chunk).map(([id, bytes]) => frame(`x-${id}`, 0, bytes)),
    // The known upload at an offset it is not at (it is at 0), or an offset that is no offset.
    fc.tuple(badOffset, chunk).map(([offset, bytes]) => frame(knownUploadId, offset, bytes)),
    // Past the announced size.
    fc.integer({ min: 1, max: 300 }).map((n) => frame(knownUploadId, 0, new Uint8Array(announcedSize + n))),
    // Truncated inside its header or its id.
    fc.tuple(chunk, fc.nat()).map(([bytes, cut]) => {
      const whole = frame(knownUploadId, 0, bytes)
      return whole.subarray(0, cut % (16 + knownUploadId.length))
    }),
    // Header fields overwritten: id length 0, larger than the frame, larger than allowed.
    fc.tuple(chunk, fc.constantFrom(0, 129, 2 ** 31, 2 ** 32 - 1)).map(([bytes, idLength]) => {
      const whole = frame(knownUploadId, 0, bytes).slice()
      new DataView(whole.buffer).setUint32(4, idLength, true)
      return whole
    })
  )
}

/** Sends `count` one-tile requests for distinct tiles of the huge raster; resolves with the most loads the service held at once. */
async function burst(client: Client, count: number): Promise<number> {
  const rasterId = client.rasters.get('huge.tif')!
  const { service } = client
  let highest = 0
  // Measured inside the host, right after the service handled each message (the client cannot see it).
  const receive = service.receive.bind(service)
  service.receive = (value: unknown, send?: (reply: ReplyMessage) => void) => {
    const reply = receive(value, send)
    const { pending, active } = service.stats()
    highest = Math.max(highest, pending + active)
    return reply
  }
  try {
    for (let i = 0; i < count; i++) {
      client.send(JSON.stringify({ type: 'request', rasterId, tiles: [{ level: 0, col: i % 65536, row: Math.floor(i / 65536), priority: 1 + (i % 3), rank: i }] }))
      if (i % 5_000 === 4_999) await new Promise((done) => setImmediate(done)) // lets the host read as the client writes
    }
    await client.flush()
  } finally {
    service.receive = receive
  }
  return highest
}

beforeAll(async () => {
  tiff = tmp.file('small.tif')
  huge = tmp.file('huge.tif')
  await sharp(makePixels(SMALL, SMALL), { raw: { width: SMALL, height: SMALL, channels: 3 } })
    .tiff({ tile: true, pyramid: true, tileWidth: 256, tileHeight: 256, compression: 'deflate' })
    .toFile(tiff)
  writeFileSync(huge, 'the opener stubs this file') // a real file: the host may stat or watch what it opens
  const rendererDir = tmp.file('renderer')
  mkdirSync(rendererDir)
  writeFileSync(join(rendererDir, 'index.html'), `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'self'" /></head><body>Tessera</body></html>`)
  host = await startServeHost({ rendererDir, openRaster: opener, files: [tiff, huge], maxWorkers: 2, uploadRoot: tmp.dir })
  bystander = await connect()
})

afterAll(async () => {
  for (const client of clients) client.socket.terminate()
  await host?.close()
  await closeRasterRuntime()
  tmp.cleanup()
})

describe('serve host under hostile frames', () => {
  it('answers every hostile text frame (a call with one reply for its id, anything else with one error event) and stays up', async () => {
    const client = await connect()
    const rasterIds = [...client.rasters.values()]
    await fc.assert(
      fc.asyncProperty(hostileText(rasterIds), async (text) => {
        const open = new Set(client.service.rasterIds()) // a fuzzed `close` may have closed one
        const from = client.messages.length
        client.send(text)
        let message: unknown
        try {
          message = JSON.parse(text)
        } catch {
          await client.flush()
          expect(client.errorsFrom(from).map((e) => e.error.message)).toEqual([NOT_JSON])
          return
        }
        if (isAnsweredCall(message)) {
          const reply = await client.replyTo(callIdOf(message)!, from)
          expect(['reply', 'reply-error']).toContain(reply.type)
          if (reply.type === 'reply-error') {
            expect(ERROR_CODES).toContain(reply.error.code)
            if (reply.error.code === 'bad-message' && !isWellFormed(message)) expect(reply.error.message).toMatch(EXPECTED_PATTERN)
            expect(reply.error.message.length).toBeGreaterThan(10)
          }
          await client.flush()
          expect(client.errorsFrom(from)).toEqual([])
        } else {
          await client.flush()
          const owed = owedError(message, open)
          const heard = client.errorsFrom(from)
          expect(heard.map((e) => e.error.code).filter((code) => code !== 'overloaded')).toEqual(owed ? [owed] : [])
          if (owed === 'bad-message') expect(heard[0]!.error.message).toMatch(EXPECTED_PATTERN)
        }
        if (client.messages.length > 5_000) client.forget()
      }),
      { numRuns: 400, seed: 7_01 }
    )
    expect(client.closeCode).toBeNull()
    // After all that, a valid open and a tile request on the same connection still work.
    await client.call({ type: 'configure', scheduling: 'priority' }) // the fuzz may have chosen 'fifo'
    const reopened = await client.call({ type: 'open', path: tiff })
    expect(reopened).toMatchObject({ type: 'reply', result: { info: { name: 'small.tif', width: SMALL } } })
    await servesRealTile(client, (reopened as { result: { rasterId: string } }).result.rasterId, 1, 0)
    await bystanderIsServed()
    await disconnect(client)
  })

  it('refuses every hostile binary frame with one clear error, and the upload it aimed at still completes', async () => {
    const client = await connect()
    const bytes = readFileSync(tiff)
    const begun = await client.call({ type: 'upload-begin', name: 'dropped.tif', size: bytes.byteLength })
    const { uploadId } = (begun as Extract<ServerMessage, { type: 'reply' }>).result as { uploadId: string }
    await fc.assert(
      fc.asyncProperty(hostileBinary(uploadId, bytes.byteLength), async (frame) => {
        const from = client.messages.length
        client.socket.send(frame, { binary: true })
        await client.flush()
        const heard = client.errorsFrom(from)
        expect(heard.map((e) => e.error.code)).toEqual(['bad-message'])
        expect(heard[0]!.error.message).toMatch(/TSU1|[Uu]pload|offset|overruns/)
      }),
      { numRuns: 300, seed: 7_02 }
    )
    for (let offset = 0; offset < bytes.byteLength; offset += 64 * 1024) {
      client.socket.send(encodeUploadFrame(uploadId, offset, bytes.subarray(offset, offset + 64 * 1024)), { binary: true })
    }
    const uploaded = await client.call({ type: 'upload-end', uploadId })
    expect(uploaded).toMatchObject({ type: 'reply', result: { info: { name: 'dropped.tif', width: SMALL } } })
    await servesRealTile(client, (uploaded as { result: { rasterId: string } }).result.rasterId, 1, 1)
    await bystanderIsServed()
    await disconnect(client)
  })

  it('refuses huge arrays and deep nesting with errors naming the field, and serves a batch of out-of-range tiles with one failure each', async () => {
    const client = await connect()
    const small = client.rasters.get('small.tif')!
    let from = client.messages.length
    client.send(JSON.stringify({ type: 'request', rasterId: small, tiles: Array.from({ length: MESSAGE_LIMITS.maxTilesPerRequest + 1 }, () => ({ level: 0, col: 0, row: 0, priority: 1 })) }))
    client.send(JSON.stringify({ type: 'cancel-obsolete', rasterId: small, keep: Array.from({ length: MESSAGE_LIMITS.maxKeepKeys + 1 }, (_, i) => `k${i}`) }))
    client.send(JSON.stringify({ type: 'request', rasterId: small, tiles: Array.from({ length: 3 }, (_, i) => ({ level: 0, col: i, row: -1, priority: 1 })) }))
    client.send(`${'['.repeat(200_000)}${']'.repeat(200_000)}`)
    await client.flush()
    const messages = client.errorsFrom(from).map((e) => e.error.message)
    expect(messages).toHaveLength(4)
    expect(messages[0]).toMatch(/^Expected array of at most 20000 tile requests for tiles but received /)
    expect(messages[1]).toMatch(/^Expected array of at most 200000 tile keys for keep but received /)
    expect(messages[2]).toMatch(/^Expected integer between 0 and 2147483648 for tiles\[0\]\.row but received -1 of type number$/)
    // Nested arrays that parse are a batch (`NotifyBatch`) whose one notification is an array.
    expect(messages[3] === NOT_JSON || /^Expected object for batch\[0\] but received .* of type array$/.test(messages[3]!)).toBe(true)

    from = client.messages.length
    const outside = Array.from({ length: MESSAGE_LIMITS.maxTilesPerRequest }, (_, i) => ({ level: i % 2, col: 2 + i, row: 0, priority: 1 }))
    client.send(JSON.stringify({ type: 'request', rasterId: small, tiles: outside }))
    await client.flush()
    const failed = client.messages.slice(from).filter((m) => m.type === 'tile-failed')
    expect(failed).toHaveLength(outside.length)
    expect(failed.every((m) => m.type === 'tile-failed' && m.error.code === 'out-of-range')).toBe(true)
    expect(client.service.stats()).toMatchObject({ pending: 0 })
    await servesRealTile(client, small, 0, 0)
    await disconnect(client)
  })

  it('closes only the connection that sends a frame over the payload limit, and closes its service', async () => {
    const client = await connect()
    const { service } = client
    client.send(`"${'x'.repeat(16 * 1024 * 1024)}"`) // one byte over the default 16 MiB
    await client.until(() => client.closeCode !== null)
    expect(client.closeCode).toBe(1009) // "message too big"
    while (host.services.has(service)) await new Promise((done) => setTimeout(done, 5))
    expect(service.isClosed).toBe(true)
    await bystanderIsServed()
    const next = await connect()
    expect(await next.call({ type: 'stats' })).toMatchObject({ type: 'reply', result: { openRasters: 2 } })
    await disconnect(next)
  })

  it('ends a connection that asks for tiles and never reads them once its unsent bytes pass the limit, and only that one', async () => {
    const limit = 2 * 1024 * 1024
    const second = await startServeHost({ rendererDir: tmp.file('renderer'), openRaster: opener, files: [tiff], maxWorkers: 2, maxBufferedBytes: limit })
    try {
      const reader = await connect(second, 1)
      const hoarder = await connect(second, 1)
      const rasterId = hoarder.rasters.get('small.tif')!
      // FIFO: no send queue, each decoded tile goes to the socket (the queue's own bound is tested in sendQueue.test.ts).
      expect(await hoarder.call({ type: 'configure', scheduling: 'fifo' })).toMatchObject({ type: 'reply' })
      hoarder.socket.pause() // reads nothing more: what the host sends piles up in kernel buffers, then in the host
      const tiles = [0, 1].flatMap((col) => [0, 1].map((row) => ({ level: 0, col, row, priority: 1 })))
      // Each round asks again for the 4 tiles (1 MiB): a served tile is forgotten, so it is decoded and sent again.
      let rounds = 0
      while (second.services.has(hoarder.service) && rounds++ < 200) {
        hoarder.send(JSON.stringify({ type: 'request', rasterId, tiles }))
        await new Promise((done) => setTimeout(done, 10))
      }
      expect(second.services.has(hoarder.service)).toBe(false) // ended by the host…
      expect(hoarder.service.isClosed).toBe(true) // …with its service
      // Kernel buffers take some MB before the host buffers any; the limit then ends it within a few tiles more.
      expect(hoarder.service.stats().bytesSent).toBeLessThan(64 * 1024 * 1024)
      await servesRealTile(reader, reader.rasters.get('small.tif')!, 1, 1)
      hoarder.socket.terminate()
    } finally {
      await second.close()
    }
    await bystanderIsServed()
  })

  it('bounds a burst of 100,000 tile requests by the per-connection cap, says so, and empties on cancel and on close', async () => {
    const client = await connect()
    const highest = await burst(client, 100_000)
    expect(highest).toBeGreaterThan(CAP / 2) // the burst did fill the queue…
    expect(highest).toBeLessThanOrEqual(CAP) // …and never past its cap
    const overloaded = client.errorsFrom(0).filter((e) => e.error.code === 'overloaded')
    expect(overloaded.length).toBeGreaterThan(0)
    expect(overloaded[0]!.error.message).toMatch(new RegExp(`dropped: more than ${CAP} pending`))
    await bystanderIsServed() // served while the other connection's queue is full

    client.send(JSON.stringify({ type: 'cancel-obsolete', rasterId: client.rasters.get('huge.tif')!, keep: [] }))
    const stats = (await client.call({ type: 'stats' })) as { result: ServiceStats }
    expect(stats.result.pending).toBe(0)
    while (client.service.stats().active > 0) await new Promise((done) => setTimeout(done, 5))

    await burst(client, 5_000) // refilled, then dropped with the connection
    expect(client.service.stats().pending).toBeGreaterThan(0)
    await disconnect(client)
    expect(client.service.isClosed).toBe(true)
    expect(client.service.stats()).toMatchObject({ pending: 0, active: 0 })
    await bystanderIsServed()
  })

  it('does not grow the heap across rounds of hostile connections', async () => {
    const gc = collector()
    const MB = 1024 * 1024
    const texts = fc.sample(hostileText(['r1', 'r2']), { numRuns: 200, seed: 7_03 })
    const binaries = fc.sample(hostileBinary('u1-000000000000', 64), { numRuns: 100, seed: 7_04 })
    const round = async (): Promise<void> => {
      const client = await connect()
      for (const text of texts) client.send(text)
      for (const frame of binaries) client.socket.send(frame, { binary: true })
      await burst(client, 25_000)
      client.forget()
      await disconnect(client)
      clients.splice(clients.indexOf(client), 1)
    }
    const heap = (): number => {
      gc()
      return process.memoryUsage().heapUsed
    }
    const servicesBefore = host.services.size
    await round()
    await round()
    const baseline = heap()
    for (let i = 0; i < 3; i++) await round()
    const growth = heap() - baseline
    expect(host.services.size).toBe(servicesBefore) // every round's service went with its connection
    // A service kept after its connection closed holds its ~20,000 queued loads: many MB a round.
    expect(growth).toBeLessThan(16 * MB)
    await bystanderIsServed()
  })
})
