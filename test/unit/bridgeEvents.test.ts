/**
 * The service's events are defined once (`src/shared/events.ts`): the bridge checks every incoming
 * one against the table, hands its payload to the listeners of its name (`bridge.on`), keeps the
 * replayed ones for the first listener, and turns what does not check out into an 'error' event.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { BridgeEvents } from '../../src/renderer/bridge/types'
import { EVENTS, type EventMessage, type EventName } from '../../src/shared/events'
import type { ErrorInfo, OpenBatchSlot } from '../../src/shared/protocol'
import type { RasterInfo } from '../../src/shared/raster'
import { encodeTileFrame } from '../../src/shared/tileFrame'
import { validateServerEvent } from '../../src/shared/validate'
import { TestBridge } from '../helpers/testBridge'

const info: RasterInfo = {
  name: 'scan.tif',
  format: 'tiff',
  fileSize: 1234,
  width: 300,
  height: 200,
  tileSize: 256,
  levels: [
    { width: 300, height: 200 },
    { width: 150, height: 100 }
  ],
  bands: 1,
  sampleType: 'float32',
  hasAlpha: false,
  bandInfo: [{ colorInterpretation: 'gray', statistics: { min: 0, max: 9, p2: 1, p98: 8, noData: null, histogram: [1, 2, 3] }, description: 'NIR' }],
  noData: null,
  hasMask: false,
  displayBands: [0],
  tileKind: 'bands',
  tileMask: true,
  compression: 'DEFLATE',
  warnings: [],
  tileChannels: 2,
  tileSampleType: 'float32',
  statistics: { min: 0, max: 9, p2: 1, p98: 8, noData: null },
  georeference: { geoTransform: [500_000, 10, 0, 4_000_000, 0, -10], rasterType: 'area', epsg: 32631, rotated: false },
  strategy: 'memory',
  pyramidReady: true
}
const slot: OpenBatchSlot = { batch: 'command-line:1', index: 1, size: 3 }
const failure: ErrorInfo = { code: 'decode-failed', message: 'Cannot read block 3 of /data/scan.tif' }

/** One well-formed message of every event, and one malformed in each way, with the field its error names. */
const samples: { [E in EventName]: { good: EventMessage<E>; bad: Array<[unknown, string]> } } = {
  progress: {
    good: { type: 'progress', rasterId: 'r1', phase: 'pyramid', progress: 0.5 },
    bad: [
      [{ type: 'progress', rasterId: 'r1', phase: 'pyramid', progress: 1.5 }, 'progress.progress'],
      [{ type: 'progress', rasterId: 'r1', phase: 'overview', progress: 0.5 }, 'progress.phase']
    ]
  },
  'raster-updated': {
    good: { type: 'raster-updated', rasterId: 'r1', info },
    bad: [
      [{ type: 'raster-updated', rasterId: 'r1', info: { ...info, levels: [{ width: -1, height: 2 }] } }, 'raster-updated.info.levels[0].width'],
      [{ type: 'raster-updated', rasterId: 'r1', info: { ...info, displayBands: [0, 1] } }, 'raster-updated.info.displayBands']
    ]
  },
  'info-update': {
    good: { type: 'info-update', rasterId: 'r1', bandInfo: info.bandInfo, statistics: info.statistics, statisticsState: 'final' },
    bad: [
      [{ type: 'info-update', rasterId: 'r1', bandInfo: info.bandInfo, statistics: info.statistics, statisticsState: 'provisional' }, 'info-update.statisticsState'],
      [{ type: 'info-update', rasterId: 'r1', bandInfo: info.bandInfo, statistics: { ...info.statistics, p98: 'high' }, statisticsState: 'final' }, 'info-update.statistics.p98']
    ]
  },
  'raster-opened': {
    good: { type: 'raster-opened', rasterId: 'r2', info, batch: slot },
    bad: [
      [{ type: 'raster-opened', info }, 'raster-opened.rasterId'],
      [{ type: 'raster-opened', rasterId: 'r2', info, batch: { ...slot, index: 3 } }, 'raster-opened.batch.index']
    ]
  },
  'tile-failed': {
    good: { type: 'tile-failed', rasterId: 'r1', key: 'r1/0/1/2', error: failure },
    bad: [
      [{ type: 'tile-failed', rasterId: 'r1', key: 'r1/0/1/2', error: { code: 'broken', message: 'x' } }, 'tile-failed.error.code'],
      [{ type: 'tile-failed', rasterId: 'r1', error: failure }, 'tile-failed.key']
    ]
  },
  error: {
    good: { type: 'error', error: failure, rasterId: 'r1', batch: slot },
    bad: [
      [{ type: 'error', error: 'it broke' }, 'error.error'],
      [{ type: 'error', error: failure, rasterId: '' }, 'error.rasterId']
    ]
  }
}

/** Every event the bridge hands on, in order, as [name, payload]. */
function recorder(bridge: TestBridge): Array<[string, unknown]> {
  const heard: Array<[string, unknown]> = []
  for (const name of [...Object.keys(EVENTS), 'tile', 'connection'] as Array<keyof BridgeEvents>) {
    bridge.on(name, (payload) => heard.push([name, payload]))
  }
  return heard
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('the events table', () => {
  it('has a sample of every event in this test', () => {
    expect(Object.keys(samples).sort()).toEqual(Object.keys(EVENTS).sort())
  })

  it('hands each event to the listeners of its name, its payload being the message without its type', () => {
    const bridge = new TestBridge()
    const heard = recorder(bridge)
    for (const { good } of Object.values(samples)) bridge.receive(JSON.parse(JSON.stringify(good)))
    expect(heard).toEqual(Object.values(samples).map(({ good: { type, ...payload } }) => [type, payload]))
  })

  it('keeps only the fields the table names, and leaves out absent optional ones', () => {
    expect(validateServerEvent({ type: 'error', error: { ...failure, stack: 'at x' }, extra: 1 })).toEqual({ type: 'error', error: failure })
    expect(Object.keys(validateServerEvent({ type: 'raster-opened', rasterId: 'r2', info }))).toEqual(['type', 'rasterId', 'info'])
  })

  it('turns a malformed event of each kind into a bad-message error naming the field, and does not dispatch it', () => {
    const bridge = new TestBridge()
    const heard = recorder(bridge)
    for (const [name, { bad }] of Object.entries(samples)) {
      for (const [message, field] of bad) {
        heard.length = 0
        bridge.receive(message)
        expect(heard, `${name}: ${field}`).toHaveLength(1)
        const [heardName, payload] = heard[0]!
        expect(heardName).toBe('error')
        const { error } = payload as BridgeEvents['error']
        expect(error.code).toBe('bad-message')
        expect(error.message).toMatch(new RegExp(`^Expected .* for ${field.replace(/[.[\]]/g, '\\$&')} but received `))
      }
    }
  })

  it('turns a message of no known event, or no object at all, into a bad-message error', () => {
    const bridge = new TestBridge()
    const heard = recorder(bridge)
    bridge.receive({ type: 'raster-closed', rasterId: 'r1' })
    bridge.receive(null)
    expect(heard.map(([name, payload]) => [name, (payload as BridgeEvents['error']).error.message])).toEqual([
      ['error', 'Expected one of progress, raster-updated, info-update, raster-opened, tile-failed, error for type but received "raster-closed" of type string'],
      ['error', 'Expected object for message but received null of type null']
    ])
  })

  it('turns a tile frame it cannot read into a bad-message error, and hands on the ones it can', () => {
    const bridge = new TestBridge()
    const heard = recorder(bridge)
    const header = { rasterId: 'r1', level: 0, col: 0, row: 0, width: 1, height: 1, channels: 4, sampleType: 'uint8' as const }
    bridge.receiveTile(encodeTileFrame(header, new Uint8Array(4)))
    bridge.receiveTile(new Uint8Array([1, 2, 3]))
    expect(heard.map(([name]) => name)).toEqual(['tile', 'error'])
    expect((heard[0]![1] as BridgeEvents['tile']).header).toEqual(header)
    expect((heard[1]![1] as BridgeEvents['error']).error.code).toBe('bad-message')
  })
})

describe('bridge.on', () => {
  it('hands raster-opened and error events that came before anyone listened to the first listener only, in order', async () => {
    const bridge = new TestBridge()
    const opened = samples['raster-opened'].good
    const failed = samples.error.good
    bridge.receive(opened)
    bridge.receive({ ...opened, rasterId: 'r3' })
    bridge.receive(failed)
    const first: string[] = []
    bridge.on('raster-opened', ({ rasterId, batch }) => first.push(`${rasterId} ${batch?.index}`))
    const second: string[] = []
    bridge.on('raster-opened', ({ rasterId }) => second.push(rasterId))
    const errors: Array<BridgeEvents['error']> = []
    bridge.on('error', (payload) => errors.push(payload))
    expect(first).toEqual([]) // after `on` returns
    await Promise.resolve()
    expect(first).toEqual(['r2 1', 'r3 1'])
    expect(second).toEqual([])
    expect(errors).toEqual([{ error: failure, rasterId: 'r1', batch: slot }])
  })

  it('keeps no other event for later: progress, raster-updated, tile-failed, tiles and connection changes unheard are gone', async () => {
    const bridge = new TestBridge()
    bridge.receive(samples.progress.good)
    bridge.receive(samples['raster-updated'].good)
    bridge.receive(samples['tile-failed'].good)
    bridge.receiveTile(encodeTileFrame({ rasterId: 'r1', level: 0, col: 0, row: 0, width: 1, height: 1, channels: 4, sampleType: 'uint8' }, new Uint8Array(4)))
    bridge.connection('open')
    const heard = recorder(bridge)
    await Promise.resolve()
    expect(heard).toEqual([])
  })

  it('hands kept events to whoever listens next when the first listener left before hearing them', async () => {
    const bridge = new TestBridge()
    bridge.receive(samples.error.good)
    const first: unknown[] = []
    bridge.on('error', (payload) => first.push(payload))()
    const second: unknown[] = []
    bridge.on('error', (payload) => second.push(payload))
    await Promise.resolve()
    expect(first).toEqual([])
    expect(second).toEqual([{ error: failure, rasterId: 'r1', batch: slot }])
  })

  it('calls every listener even when one throws', () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    const bridge = new TestBridge()
    const heard: string[] = []
    bridge.on('tile-failed', () => {
      throw new Error('a listener broke')
    })
    bridge.on('tile-failed', ({ rasterId, key, error }) => heard.push(`${rasterId} ${key} ${error.code}`))
    bridge.receive(samples['tile-failed'].good)
    expect(heard).toEqual(['r1 r1/0/1/2 decode-failed'])
    expect(logged).toHaveBeenCalledOnce()
  })

  it('stops calling a listener once disposed, and disposing twice does nothing more', () => {
    const bridge = new TestBridge()
    const kept: number[] = []
    const dropped: number[] = []
    bridge.on('progress', ({ progress }) => kept.push(progress))
    const dispose = bridge.on('progress', ({ progress }) => dropped.push(progress))
    bridge.receive(samples.progress.good)
    dispose()
    dispose()
    bridge.receive({ ...samples.progress.good, progress: 1 })
    expect(kept).toEqual([0.5, 1])
    expect(dropped).toEqual([0.5])
  })

  it('adds the same function twice as two listeners, each disposed apart', () => {
    const bridge = new TestBridge()
    const states: string[] = []
    const listener = (state: BridgeEvents['connection']): void => void states.push(state)
    const dispose = bridge.on('connection', listener)
    bridge.on('connection', listener)
    bridge.connection('closed')
    dispose()
    bridge.connection('open')
    expect(states).toEqual(['closed', 'closed', 'open'])
  })
})
