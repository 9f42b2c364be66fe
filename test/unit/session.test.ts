/**
 * The renderer's session of layers (src/renderer/session/) driven alone: a fake viewer that keeps
 * plain layer records, a fake bridge that emits events, the real Session, LayerShowing, LayerOrder,
 * FileOpener and event routes. No DOM, no Pixi, no socket.
 */
import { describe, expect, it } from 'vitest'
import type { BridgeEvents, TesseraBridge } from '../../src/renderer/bridge/types'
import type { OpenedRaster, TileMessage } from '../../src/shared/protocol'
import type { ErrorCode } from '../../src/shared/errors'
import type { CrsInfo, RasterInfo } from '../../src/shared/raster'
import type { Viewer } from '../../src/renderer/view/Viewer'
import type { LayerEntry } from '../../src/renderer/ui/LayersPanel'
import { Connection } from '../../src/renderer/session/Connection'
import { LayerRecords } from '../../src/renderer/session/LayerRecords'
import { PerImageOrientation } from '../../src/renderer/session/PerImageOrientation'
import { Session, type ShownState } from '../../src/renderer/session/Session'
import { routeBridgeEvents } from '../../src/renderer/session/routeEvents'
import { limitConcurrency } from '../../src/renderer/session/openFiles'
import { tileFailureText, withoutTileKey } from '../../src/renderer/session/tileErrors'
import { shownState } from '../../src/renderer/session/shownState'
import { CrsMemory } from '../../src/renderer/session/crsMemory'
import { UPRIGHT, type Orientation } from '../../src/renderer/view/screenOrientation'

function info(name: string, georeferenced = false): RasterInfo {
  return {
    name,
    format: 'png',
    fileSize: 1,
    width: 100,
    height: 50,
    tileSize: 256,
    levels: [{ width: 100, height: 50 }],
    bands: 3,
    sampleType: 'uint8',
    hasAlpha: false,
    bandInfo: [],
    noData: null,
    hasMask: false,
    displayBands: [0, 1, 2],
    tileKind: 'rgba8',
    tileMask: false,
    warnings: [],
    tileChannels: 4,
    tileSampleType: 'uint8',
    statistics: null,
    georeference: georeferenced ? { geoTransform: [0, 1, 0, 0, 0, -1], rasterType: 'area', epsg: 4326, rotated: false } : null,
    strategy: 'memory',
    pyramidReady: true
  }
}

interface FakeLayer {
  rasterId: string
  info: RasterInfo
  visible: boolean
  failed: Array<[string, ErrorCode | undefined]>
  display: null
}

/** A viewer of plain records: the stack bottom first, what was fitted, the tiles received. */
function fakeViewer() {
  const layers: FakeLayer[] = []
  const log = { fitted: [] as Array<string[] | undefined>, tiles: [] as string[], lost: 0, crsSet: [] as Array<[string, string | null]> }
  let view = { centerX: 0, centerY: 0, zoom: 1, width: 800, height: 600 }
  const viewer = {
    get layers() {
      return layers
    },
    get view() {
      return view
    },
    layer: (id: string) => layers.find((l) => l.rasterId === id),
    addLayer: (opened: OpenedRaster, options: { below?: string | null } = {}) => {
      const existing = layers.find((l) => l.rasterId === opened.rasterId)
      if (existing) return existing
      const layer: FakeLayer = { rasterId: opened.rasterId, info: opened.info, visible: true, failed: [], display: null }
      const below = options.below ? layers.findIndex((l) => l.rasterId === options.below) : -1
      if (below >= 0) layers.splice(below, 0, layer)
      else layers.push(layer)
      return layer
    },
    removeLayer: (id: string) => {
      const i = layers.findIndex((l) => l.rasterId === id)
      if (i >= 0) layers.splice(i, 1)
    },
    placement: () => undefined,
    georeferenceOf: (id: string) => layers.find((l) => l.rasterId === id)?.info.georeference ?? null,
    setLayerCrs: (id: string, crs: CrsInfo | null) => log.crsSet.push([id, crs?.id ?? null]),
    fitLayers: (ids?: readonly string[]) => {
      log.fitted.push(ids ? [...ids] : undefined)
      view = { ...view, zoom: view.zoom + 1 } // a fit moves the camera
    },
    setLayerVisible: (id: string, visible: boolean) => {
      const layer = layers.find((l) => l.rasterId === id)
      if (layer) layer.visible = visible
    },
    moveLayer: () => undefined,
    setLayerOpacity: () => undefined,
    requestFrame: () => undefined,
    receiveTile: (tile: TileMessage) => log.tiles.push(tile.header.rasterId),
    tileFailed: (id: string, key: string, code?: ErrorCode) => layers.find((l) => l.rasterId === id)?.failed.push([key, code]),
    updateInfo: () => undefined,
    connectionLost: () => log.lost++,
    onPlacementsChanged: () => () => undefined,
    showPreview: () => undefined,
    attachPreview: () => undefined,
    removePreview: () => undefined,
    moveBy: (dx: number) => {
      view = { ...view, centerX: view.centerX + dx }
    }
  }
  return { viewer, layers, log }
}

/** A bridge whose events the test emits, and whose opens the test answers. */
function fakeBridge() {
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const opens: Array<{ file: File; resolve: (o: OpenedRaster) => void; reject: (e: Error) => void }> = []
  const urlOpens: Array<{ url: string; resolve: (o: OpenedRaster) => void; reject: (e: Error) => void }> = []
  const closed: string[] = []
  const bridge = {
    kind: 'websocket' as const,
    calls: { 'open-url': ({ url }: { url: string }) => new Promise<OpenedRaster>((resolve, reject) => urlOpens.push({ url, resolve, reject })) },
    on<E extends keyof BridgeEvents>(event: E, listener: (payload: BridgeEvents[E]) => void) {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(listener as (payload: unknown) => void)
      return () => set.delete(listener as (payload: unknown) => void)
    },
    openFile: (file: File) => new Promise<OpenedRaster>((resolve, reject) => opens.push({ file, resolve, reject })),
    close: async (id: string) => {
      closed.push(id)
    }
  }
  const emit = <E extends keyof BridgeEvents>(event: E, payload: BridgeEvents[E]): void => {
    for (const l of [...(listeners.get(event) ?? [])]) l(payload)
  }
  return { bridge: bridge as unknown as TesseraBridge, emit, opens, urlOpens, closed }
}

function fakeOrientation() {
  const listeners = new Set<(o: Orientation) => void>()
  const turnable = {
    current: UPRIGHT as Orientation,
    set(o: Orientation) {
      turnable.current = o
      for (const l of listeners) l(o)
    },
    onChange(l: (o: Orientation) => void) {
      listeners.add(l)
      return () => listeners.delete(l)
    }
  }
  return turnable
}

function setUp() {
  return setUpWith(new CrsMemory(null))
}

function setUpWith(crsMemory: CrsMemory) {
  const { viewer, layers, log } = fakeViewer()
  const { bridge, emit, opens, urlOpens, closed } = fakeBridge()
  const messages: Array<{ title: string; message: string; key?: string }> = []
  const errors = { show: (title: string, message: string, options?: { key?: string }) => messages.push({ title, message, key: options?.key }), dismiss: () => undefined }
  const connection = new Connection(bridge, errors)
  emit('connection', 'open')
  const rows = new Map<string, LayerEntry>()
  const toasts: string[] = []
  const orientation = fakeOrientation()
  const session = new Session({
    bridge,
    viewer: viewer as unknown as Viewer,
    connection,
    messages: errors,
    orientation,
    ui: { pictureChanged: () => undefined, toast: (t) => toasts.push(t), progress: () => undefined },
    makeRows: () => ({
      root: { querySelectorAll: () => [] } as unknown as HTMLElement,
      selected: null,
      upsert: (entry) => rows.set(entry.rasterId, entry),
      remove: (id) => rows.delete(id),
      setVisible: () => undefined,
      setLoading: () => undefined,
      setSelected: () => undefined
    }),
    fitShown: () => viewer.fitLayers(),
    orientationSettled: () => Promise.resolve(),
    mark: () => undefined,
    askCrs: () => undefined,
    crsMemory
  })
  const shown: ShownState[] = []
  session.onShown((s) => shown.push(s))
  routeBridgeEvents({ bridge, session, viewer: viewer as unknown as Viewer, messages: errors, progress: () => undefined })
  return { session, viewer, layers, log, emit, opens, urlOpens, closed, messages, rows, toasts, shown, orientation }
}

const visibleNames = (layers: FakeLayer[]): string[] => layers.filter((l) => l.visible).map((l) => l.info.name)
const file = (name: string): File => new File([new Uint8Array(4)], name)
const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

describe('Session', () => {
  it('browses pictures given together on an empty view one at a time, from the top one, and says so', async () => {
    const { session, opens, layers, toasts, shown } = setUp()
    const done = session.files.open([file('a.png'), file('b.png'), file('c.png')])
    await flush()
    // Opened top first: c, b, a; they answer in another order.
    const byName = new Map(opens.map((o) => [o.file.name, o]))
    byName.get('b.png')!.resolve({ rasterId: 'r-b', info: info('b.png') })
    await flush()
    byName.get('c.png')!.resolve({ rasterId: 'r-c', info: info('c.png') })
    byName.get('a.png')!.resolve({ rasterId: 'r-a', info: info('a.png') })
    await done
    expect(layers.map((l) => l.info.name)).toEqual(['a.png', 'b.png', 'c.png'])
    expect(session.showing.mode).toBe('browse')
    expect(visibleNames(layers)).toEqual(['c.png'])
    expect(toasts.some((t) => t.includes('one at a time') && t.includes('b stacks them'))).toBe(true)
    expect(shown.at(-1)).toMatchObject({ mode: 'browse', title: 'c.png (3 of 3) — Tessera', position: '3 / 3  c.png' })
  })

  it('stacks georeferenced files given together', async () => {
    const { session, opens, layers } = setUp()
    const done = session.files.open([file('dem.tif'), file('ortho.tif')])
    await flush()
    for (const o of opens) o.resolve({ rasterId: `r-${o.file.name}`, info: info(o.file.name, true) })
    await done
    expect(session.showing.mode).toBe('stack')
    expect(visibleNames(layers)).toEqual(['dem.tif', 'ortho.tif'])
  })

  it('stacks files given together after all when one that opens later is georeferenced', async () => {
    const { session, opens, layers } = setUp()
    const done = session.files.open([file('dem.tif'), file('photo.png')])
    await flush()
    const byName = new Map(opens.map((o) => [o.file.name, o]))
    byName.get('photo.png')!.resolve({ rasterId: 'r-photo', info: info('photo.png') })
    await flush()
    expect(session.showing.mode).toBe('browse')
    byName.get('dem.tif')!.resolve({ rasterId: 'r-dem', info: info('dem.tif', true) })
    await done
    expect(session.showing.mode).toBe('stack')
    expect(visibleNames(layers)).toEqual(['dem.tif', 'photo.png'])
  })

  it('shows a file opened while browsing', async () => {
    const { session, opens, layers } = setUp()
    const first = session.files.open([file('a.png'), file('b.png')])
    await flush()
    for (const o of opens.splice(0)) o.resolve({ rasterId: `r-${o.file.name}`, info: info(o.file.name) })
    await first
    session.showing.browse(1)
    expect(visibleNames(layers)).toEqual(['a.png'])
    const later = session.files.open([file('c.png')])
    await flush()
    opens[0]!.resolve({ rasterId: 'r-c', info: info('c.png') })
    await later
    expect(visibleNames(layers)).toEqual(['c.png'])
    expect(session.showing.browsed).toBe('r-c')
  })

  it('gives each picture browsed its own turn of the view, and keeps the stack its own', async () => {
    const { session, opens, orientation } = setUp()
    const done = session.files.open([file('a.png'), file('b.png')])
    await flush()
    for (const o of opens) o.resolve({ rasterId: `r-${o.file.name}`, info: info(o.file.name) })
    await done
    expect(session.showing.browsed).toBe('r-b.png')
    orientation.set({ quarterTurns: 1, flipped: false })
    session.showing.browse(1) // to a.png: upright, never turned
    expect(orientation.current).toEqual(UPRIGHT)
    session.showing.browse(1) // back to b.png: its quarter turn
    expect(orientation.current).toEqual({ quarterTurns: 1, flipped: false })
    session.showing.toggle() // stacked: the stack's own turn (upright)
    expect(orientation.current).toEqual(UPRIGHT)
  })

  it('fits the view again after every turn', async () => {
    const { session, opens, orientation, log } = setUp()
    const done = session.files.open([file('a.tif')])
    await flush()
    opens[0]!.resolve({ rasterId: 'r-a', info: info('a.tif', true) })
    await done
    const fits = log.fitted.length
    orientation.set({ quarterTurns: 1, flipped: false })
    await flush()
    expect(log.fitted.length).toBe(fits + 1)
  })

  it('routes every failed tile to its layer with its code, and says a failed read once per layer', async () => {
    const { session, emit, layers, messages } = setUp()
    session.add({ rasterId: 'r1', info: info('dem.tif', true) })
    emit('tile-failed', { rasterId: 'r1', key: 'r1/0/0/0', error: { code: 'overloaded', message: 'dropped' } })
    expect(layers[0]!.failed).toEqual([['r1/0/0/0', 'overloaded']])
    expect(messages).toEqual([])
    emit('tile-failed', { rasterId: 'r1', key: 'r1/0/1/0', error: { code: 'decode-failed', message: 'Cannot decode tile r1/0/1/0 of dem.tif' } })
    emit('tile-failed', { rasterId: 'r1', key: 'r1/0/2/0', error: { code: 'decode-failed', message: 'Cannot decode tile r1/0/2/0 of dem.tif' } })
    expect(layers[0]!.failed.map(([, code]) => code)).toEqual(['overloaded', 'decode-failed', 'decode-failed'])
    expect(messages).toEqual([{ title: 'Could not read dem.tif', message: 'Cannot decode tile of dem.tif', key: 'read:r1' }])
  })

  it('hands tiles to the viewer and ends the layer\'s opening at its first tile', () => {
    const { session, emit, log } = setUp()
    session.add({ rasterId: 'r1', info: info('a.png') })
    expect(session.isWaitingForPixels('r1')).toBe(true)
    emit('tile', { header: { rasterId: 'r1', level: 0, col: 0, row: 0, width: 1, height: 1, channels: 4, sampleType: 'uint8' }, data: new Uint8Array(4) })
    expect(log.tiles).toEqual(['r1'])
    expect(session.isWaitingForPixels('r1')).toBe(false)
  })

  it('places host-opened files by their batch, and gives up the place of one that failed', () => {
    const { emit, layers } = setUp()
    emit('raster-opened', { rasterId: 'top', info: info('top.tif', true), batch: { batch: 'b1', index: 2, size: 3 } })
    emit('error', { error: { code: 'open-failed', message: 'Could not open mid.tif' }, batch: { batch: 'b1', index: 1, size: 3 } })
    emit('raster-opened', { rasterId: 'bottom', info: info('bottom.tif', true), batch: { batch: 'b1', index: 0, size: 3 } })
    expect(layers.map((l) => l.rasterId)).toEqual(['bottom', 'top'])
  })

  it('takes dropped layers down when the connection is lost and opens their files again when it is back', async () => {
    const { session, emit, opens, layers, log } = setUp()
    const done = session.files.open([file('a.png')])
    await flush()
    opens[0]!.resolve({ rasterId: 'r-a', info: info('a.png') })
    await done
    emit('connection', 'closed')
    expect(log.lost).toBe(1)
    emit('connection', 'open')
    expect(layers).toEqual([])
    await flush()
    expect(opens.map((o) => o.file.name)).toEqual(['a.png', 'a.png'])
  })

  it('takes layers opened by URL down when the connection is lost and opens their URLs again when it is back', async () => {
    const { session, emit, urlOpens, opens, layers } = setUp()
    const done = session.urls.open(['http://h/dem.tif'])
    await flush()
    urlOpens[0]!.resolve({ rasterId: 'r-url', info: info('dem.tif') })
    await done
    expect(layers.map((l) => l.rasterId)).toEqual(['r-url'])
    emit('connection', 'closed')
    emit('connection', 'open')
    expect(layers).toEqual([])
    await flush()
    expect(urlOpens.map((o) => o.url)).toEqual(['http://h/dem.tif', 'http://h/dem.tif'])
    expect(opens).toEqual([]) // nothing uploaded
    urlOpens[1]!.resolve({ rasterId: 'r-url-2', info: info('dem.tif') })
    await flush()
    expect(session.records.withUrls()).toEqual([{ rasterId: 'r-url-2', url: 'http://h/dem.tif' }])
  })

  it('says "Opening <name>…" while a URL opens', async () => {
    const { session, urlOpens } = setUp()
    const seen: Array<readonly string[]> = []
    session.onOpening((names) => seen.push(names))
    const done = session.urls.open(['http://h/a%20b.tif'])
    await flush()
    expect(seen.at(-1)).toEqual(['a b.tif'])
    urlOpens[0]!.reject(new Error('Cannot open http://h/a%20b.tif: HTTP 404 Not Found'))
    await done
    expect(seen.at(-1)).toEqual([])
  })

  it('refuses a drop while disconnected, naming the files', async () => {
    const { session, emit, messages, opens } = setUp()
    emit('connection', 'closed')
    await session.files.open([file('a.png'), file('b.png')])
    expect(opens).toEqual([])
    expect(messages.at(-1)).toMatchObject({ title: 'Could not open 2 files', key: 'refused-drop' })
  })

  it('closes a removed layer on the service and forgets its record', () => {
    const { session, closed, layers } = setUp()
    session.add({ rasterId: 'r1', info: info('a.png') })
    session.remove('r1')
    expect(closed).toEqual(['r1'])
    expect(layers).toEqual([])
    expect(session.records.get('r1')).toBeUndefined()
  })
})

describe('Set CRS…', () => {
  const LAMBERT72: CrsInfo = { id: 'EPSG:31370', epsg: 31370, proj4: '+proj=lcc +lat_0=90 +lon_0=4.36748666666667 +lat_1=51.1666672333333 +lat_2=49.8333339 +x_0=150000.013 +y_0=5400088.438 +ellps=intl +units=m +no_defs', name: 'BD72 / Belgian Lambert 72', source: 'manual' }

  it('places the layer in the CRS chosen and remembers it for that file, which opens in it the next time', () => {
    const stored = new Map<string, string>()
    const store = { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => void stored.set(k, v), removeItem: (k: string) => void stored.delete(k) }
    const first = setUpWith(new CrsMemory(store))
    first.session.add({ rasterId: 'r1', info: info('dem.tif', true) })
    first.session.setLayerCrs('r1', LAMBERT72)
    expect(first.log.crsSet).toEqual([['r1', 'EPSG:31370']])
    const again = setUpWith(new CrsMemory(store))
    again.session.add({ rasterId: 'r9', info: info('dem.tif', true) })
    expect(again.log.crsSet).toEqual([['r9', 'EPSG:31370']])
    // A picture without georeferencing has no CRS to set.
    again.session.add({ rasterId: 'p', info: info('dem.tif') })
    expect(again.log.crsSet).toEqual([['r9', 'EPSG:31370']])
  })

  it('forgets a stored value that is not a CRS', () => {
    const stored = new Map<string, string>([['tessera.crs:dem.tif:1', '{"id":3}']])
    const memory = new CrsMemory({ getItem: (k) => stored.get(k) ?? null, setItem: (k, v) => void stored.set(k, v), removeItem: (k) => void stored.delete(k) })
    expect(memory.recall({ name: 'dem.tif', fileSize: 1 })).toBeNull()
    expect(stored.size).toBe(0)
  })
})

describe('LayerRecords', () => {
  it('keeps one record per layer, made on its first mention', () => {
    const records = new LayerRecords()
    const a = records.ensure('a', 'a.png')
    expect(records.ensure('a', 'other')).toBe(a)
    a.displayName = 'a.png (2)'
    expect(records.nameOf('a')).toBe('a.png (2)')
    expect(records.delete('a')).toBe(true)
    expect(records.size).toBe(0)
  })

  it('lists the layers waiting for pixels and those opened from a File', () => {
    const records = new LayerRecords()
    records.ensure('a', 'a.png').waitingForPixels = true
    const f = file('b.png')
    records.ensure('b', 'b.png').file = f
    expect(records.waitingNames()).toEqual(['a.png'])
    expect(records.withFiles()).toEqual([{ rasterId: 'b', file: f }])
  })
})

describe('PerImageOrientation', () => {
  it('records a turn on the layer browsed, or on the stack', () => {
    const view = fakeOrientation()
    const turns = new Map<string, Orientation>()
    let browsed: string | null = 'a'
    let turned = 0
    const memory = new PerImageOrientation({ view, orientationOf: (id) => turns.get(id), setOrientationOf: (id, o) => turns.set(id, o), browsed: () => browsed, turned: () => turned++ })
    view.set({ quarterTurns: 2, flipped: false })
    expect(turns.get('a')).toEqual({ quarterTurns: 2, flipped: false })
    browsed = null
    memory.browsed(null)
    view.set({ quarterTurns: 0, flipped: true })
    expect(turns.get('a')).toEqual({ quarterTurns: 2, flipped: false })
    expect(turned).toBe(3)
  })
})

describe('limitConcurrency', () => {
  it('runs at most `limit` calls at once, the others in call order', async () => {
    const limit = limitConcurrency(2)
    let running = 0
    let most = 0
    const order: number[] = []
    const gates: Array<() => void> = []
    const calls = [0, 1, 2, 3].map((i) =>
      limit(async () => {
        running++
        most = Math.max(most, running)
        order.push(i)
        await new Promise<void>((resolve) => gates.push(resolve))
        running--
      })
    )
    await flush()
    expect(order).toEqual([0, 1])
    gates.shift()!()
    await flush()
    expect(order).toEqual([0, 1, 2])
    gates.shift()!()
    await flush()
    gates.splice(0).forEach((g) => g())
    await flush()
    gates.splice(0).forEach((g) => g())
    await Promise.all(calls)
    expect(most).toBe(2)
    expect(order).toEqual([0, 1, 2, 3])
  })
})

describe('withoutTileKey', () => {
  it('takes the internal tile key out of a message', () => {
    expect(withoutTileKey('Cannot read tile r1/0/3/4 of dem.tif: bad block', 'r1/0/3/4')).toBe('Cannot read tile of dem.tif: bad block')
    expect(withoutTileKey('Decode failed (tile r1/0/3/4)', 'r1/0/3/4')).toBe('Decode failed')
  })
})

describe('tileFailureText', () => {
  it('says that a tile whose server failed for now is asked again; any other failure as it is', () => {
    const message = 'Cannot read tile r1/0/3/4 of http://h/dem.tif: Cannot read http://h/dem.tif: HTTP 503 Service Unavailable'
    expect(tileFailureText({ code: 'unavailable', message }, 'r1/0/3/4')).toBe(
      'Cannot read tile of http://h/dem.tif: Cannot read http://h/dem.tif: HTTP 503 Service Unavailable (asked again while it is on screen)'
    )
    expect(tileFailureText({ code: 'decode-failed', message: 'Cannot read tile r1/0/3/4 of dem.tif: bad block' }, 'r1/0/3/4')).toBe('Cannot read tile of dem.tif: bad block')
  })
})

describe('shownState', () => {
  it('says the file browsed and its place, or the top file stacked, or nothing', () => {
    expect(shownState(['a.png', 'b.png', 'c.png'], 'browse', 1)).toEqual({ layerCount: 3, mode: 'browse', canBrowse: true, title: 'b.png (2 of 3) — Tessera', position: '2 / 3  b.png', fileLabel: '2 / 3  b.png' })
    expect(shownState(['a.png', 'b.png'], 'stack', 1)).toMatchObject({ title: 'b.png — Tessera', position: '', fileLabel: 'b.png' })
    expect(shownState([], 'stack', -1)).toEqual({ layerCount: 0, mode: 'stack', canBrowse: false, title: 'Tessera', position: '', fileLabel: '' })
  })
})
