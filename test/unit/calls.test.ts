/**
 * The protocol's calls are defined once (`src/shared/calls.ts`): the service's handlers and the
 * bridge's methods follow from that table. Both sides run here over an in-memory pair, as VS Code
 * tests its ProxyChannel over `createProtocolPair()`.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { CALLS, NOTIFICATIONS, checkParams } from '../../src/shared/calls'
import { TesseraError } from '../../src/shared/errors'
import { joinTileFrame } from '../../src/main/service/joinTileFrame'
import { TextureService } from '../../src/main/service/TextureService'
import { BridgeBase } from '../../src/renderer/bridge/BridgeBase'
import type { CallMessage, NotifyBatch, NotifyMessage, OpenedRaster, ReplyMessage, TileMessage } from '../../src/shared/protocol'
import { slowStubRaster } from '../helpers/serviceFixtures'

const ALLOWED = '/data/huge.tif'

/** A bridge whose other end is a TextureService in the same process: messages go through JSON both ways, as on a socket. */
class PairBridge extends BridgeBase {
  readonly kind = 'websocket' as const
  readonly service: TextureService
  readonly sent: Array<CallMessage | NotifyMessage> = []

  constructor() {
    super()
    this.service = new TextureService({
      sink: {
        send: (message) => this.dispatch(JSON.parse(JSON.stringify(message))),
        sendTile: (frame) => this.dispatchTile(joinTileFrame(frame))
      },
      openRaster: async (path) => {
        if (path !== ALLOWED) throw new Error(`Cannot open ${path}: no such file`)
        return slowStubRaster(1024, 1)
      },
      mayOpenPath: (path) => path.startsWith('/data/'),
      maxWorkers: 1,
      watchFiles: false
    })
  }

  protected async sendCall(message: CallMessage): Promise<ReplyMessage> {
    this.sent.push(message)
    return JSON.parse(JSON.stringify(await this.service.receive(JSON.parse(JSON.stringify(message))))) as ReplyMessage
  }

  protected sendNotifications(batch: NotifyBatch): void {
    this.sent.push(...(Array.isArray(batch) ? batch : [batch]))
    const wire: unknown = JSON.parse(JSON.stringify(batch))
    if (Array.isArray(wire)) this.service.receiveNotifications(wire)
    else void this.service.receive(wire)
  }

  openFile(): Promise<OpenedRaster> {
    return Promise.reject(new Error('no files in this test'))
  }

  dispose(): void {
    this.disposed = true
    this.clearListeners()
  }
}

const bridges: PairBridge[] = []
function pair(): PairBridge {
  const bridge = new PairBridge()
  bridges.push(bridge)
  return bridge
}
afterEach(async () => {
  for (const bridge of bridges.splice(0)) {
    bridge.dispose()
    await bridge.service.close()
  }
})

async function rejection(promise: Promise<unknown>): Promise<TesseraError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e
  )
  if (!(error instanceof TesseraError)) throw new Error(`expected a TesseraError, got ${String(error)}`)
  return error
}

describe('the calls of the protocol', () => {
  it('gives the bridge one method per call of the table, and nothing else', () => {
    expect(Object.keys(pair().calls).sort()).toEqual(Object.keys(CALLS).sort())
  })

  it('answers every call of the table through the bridge with its typed result', async () => {
    const bridge = pair()
    const opened = await bridge.calls.open({ path: ALLOWED })
    expect(opened.rasterId).toMatch(/^r\d+$/)
    expect(opened.info.width).toBe(1024)
    expect(await bridge.calls.configure({ scheduling: 'fifo' })).toEqual({})
    expect(await bridge.calls['tile-encodings']({ accept: ['jpeg'] })).toEqual({})
    expect(await bridge.calls['view-size']({ width: 1020, height: 720 })).toEqual({})
    expect(await bridge.calls.stats({})).toMatchObject({ openRasters: 1, pending: 0 })
    // The stub raster's tiles are colours: sample-values reaches its handler, which refuses them by name.
    expect((await rejection(bridge.calls['sample-values']({ rasterId: opened.rasterId, points: [{ x: 1, y: 1 }] }))).code).toBe('not-allowed')
    expect(await bridge.calls.close({ rasterId: opened.rasterId })).toEqual({})
    expect(await bridge.stats()).toMatchObject({ openRasters: 0 })
    // Uploads are refused by a service without an upload directory: the call still reaches its handler.
    expect((await rejection(bridge.calls['upload-begin']({ name: 'a.png', size: 3 }))).code).toBe('not-allowed')
    expect((await rejection(bridge.calls['upload-end']({ uploadId: 'u1' }))).code).toBe('not-allowed')
    // Set CRS…: the EPSG registry searched, a CRS described as a file's.
    expect((await bridge.calls['search-crs']({ query: '2154' }))[0]).toMatchObject({ epsg: 2154 })
    expect(await bridge.calls['describe-crs']({ definition: 'EPSG:32631' })).toMatchObject({ id: 'EPSG:32631', epsg: 32631, source: 'manual' })
    // Remote sources: a scheme other than http(s) is refused by each handler before any network.
    expect((await rejection(bridge.calls['open-url']({ url: 'ftp://example.org/dem.tif' }))).message).toMatch(/ftp:/)
    expect((await rejection(bridge.calls['web-capabilities']({ url: 'ftp://example.org/wms' }))).message).toMatch(/ftp:/)
    expect((await rejection(bridge.calls['open-web-layer']({ service: 'xyz', url: 'ftp://example.org/{z}/{x}/{y}.png', layer: 'xyz' }))).message).toMatch(/ftp:/)
    expect((await rejection(bridge.calls['stac-read']({ href: 'ftp://example.org/catalog.json' }))).message).toMatch(/ftp:/)
    const called = new Set(bridge.sent.map((m) => m.type))
    for (const name of Object.keys(CALLS)) expect(called.has(name as never)).toBe(true)
  })

  it("rejects with the service's error code and a message for people, never a code parsed from the message", async () => {
    const bridge = pair()
    const notAllowed = await rejection(bridge.openPath('/etc/passwd'))
    expect(notAllowed.code).toBe('not-allowed')
    expect(notAllowed.message).toContain('/etc/passwd')
    const missing = await rejection(bridge.openPath('/data/missing.tif'))
    expect(missing.code).toBe('open-failed')
    expect(missing.message).toBe('Cannot open /data/missing.tif: no such file')
    expect((await rejection(bridge.close('r99'))).code).toBe('unknown-raster')
    const bad = await rejection(bridge.calls.open({ path: '' }))
    expect(bad.code).toBe('bad-message')
    expect(bad.message).toBe('Expected non-empty string of at most 4096 characters for path but received "" of type string')
  })

  it('numbers each call and keeps only the parameters the table names', async () => {
    const bridge = pair()
    await bridge.calls.stats({})
    await bridge.calls.stats({})
    expect(bridge.sent).toEqual([
      { type: 'stats', id: 1 },
      { type: 'stats', id: 2 }
    ])
    expect(checkParams('open', { type: 'open', id: 1, path: '/a', extra: true })).toEqual({ path: '/a' })
  })
})

describe('the notifications of the protocol', () => {
  it('gives the service a handler for each: tiles asked for through the bridge arrive as frames', async () => {
    const bridge = pair()
    const { rasterId } = await bridge.openPath(ALLOWED)
    const tiles: TileMessage[] = []
    bridge.on('tile', (tile) => tiles.push(tile))
    bridge.requestTiles(rasterId, [{ level: 0, col: 1, row: 2, priority: 1 }])
    await expect.poll(() => tiles.length).toBe(1)
    expect(tiles[0]!.header).toMatchObject({ rasterId, level: 0, col: 1, row: 2 })
    bridge.cancelObsolete(rasterId, [])
    // A local raster's hints reach their handler, which has nothing to fetch ahead.
    bridge.prefetch(rasterId, [{ level: 0, col: 0, row: 0, priority: 1 }])
    await Promise.resolve() // notifications go at the end of the task, together
    expect(new Set(bridge.sent.map((m) => m.type))).toEqual(new Set(['open', ...Object.keys(NOTIFICATIONS)]))
  })

  it('sends their refusals back as error events with a code', async () => {
    const bridge = pair()
    const errors: string[] = []
    bridge.on('error', ({ error }) => errors.push(error.code))
    bridge.requestTiles('r42', [{ level: 0, col: 0, row: 0, priority: 1 }])
    await expect.poll(() => errors).toEqual(['unknown-raster'])
  })
})
