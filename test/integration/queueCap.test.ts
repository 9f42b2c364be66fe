/**
 * The per-connection queue cap of a TextureService (issue 7): when requests do not fit, the least
 * urgent pending ones of the whole connection — queued long ago or just asked — are dropped, the
 * oldest first among equals; running loads never are; each dropped tile is reported
 * (`tile-failed`, code 'overloaded', which the renderer may ask for again) and each batch that
 * dropped some says so once. The raster is a stub at the opener's edge whose tiles end when the
 * test says, so that what is pending and what runs is chosen by the test.
 */
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { TextureService } from '../../src/main/service/TextureService'
import type { DecodedTile, RasterSource } from '../../src/main/raster/types'
import type { RasterInfo } from '../../src/shared/raster'
import type { TileRequest } from '../../src/shared/protocol'
import { pyramidLevels } from '../../src/shared/tiles'
import { MemorySink } from '../helpers/serviceFixtures'

const SIDE = 1 << 20

/** A raster whose tile loads run until `finish(key)` (or an abort). */
function controlledRaster(): { source: RasterSource; running: Map<string, () => void>; finish(key: string): void } {
  const running = new Map<string, () => void>()
  const info = {
    name: 'controlled.tif', format: 'tiff', fileSize: 0, width: SIDE, height: SIDE, tileSize: 256, levels: pyramidLevels(SIDE, SIDE, 256),
    bands: 3, sampleType: 'uint8', hasAlpha: false, tileChannels: 4, tileSampleType: 'uint8', statistics: null, georeference: null,
    strategy: 'tiled', pyramidReady: true
  } as RasterInfo
  const source: RasterSource = {
    info,
    readTile: (level, col, row, signal) =>
      new Promise<DecodedTile>((resolve, reject) => {
        const key = `${level}/${col}/${row}`
        running.set(key, () => resolve({ width: 1, height: 1, channels: 4, data: new Uint8Array(4) }))
        signal?.addEventListener('abort', () => {
          running.delete(key)
          reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))
        }, { once: true })
      }),
    close: async () => {}
  }
  return {
    source,
    running,
    finish(key) {
      const resolve = running.get(key)
      running.delete(key)
      resolve?.()
    }
  }
}

/** Lets the loader dispatch and settled loads finish. */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

let service: TextureService | null = null
afterEach(async () => {
  await service?.close()
  service = null
})

async function setUp(maxPending: number, maxWorkers: number) {
  const sink = new MemorySink()
  const raster = controlledRaster()
  service = new TextureService({ sink, openRaster: async () => raster.source, maxWorkers, maxPending, watchFiles: false })
  const reply = await service.receive({ type: 'open', id: 1, path: '/controlled.tif' })
  if (reply?.type !== 'reply') throw new Error('open failed')
  const { rasterId } = reply.result as { rasterId: string }
  const request = (tiles: TileRequest[]): Promise<unknown> => service!.receive({ type: 'request', rasterId, tiles })
  const dropped = (): string[] => sink.ofType('tile-failed').filter((m) => m.error.code === 'overloaded').map((m) => m.key.slice(rasterId.length + 1))
  const summaries = () => sink.ofType('error').filter((m) => m.error.code === 'overloaded')
  return { sink, raster, rasterId, request, dropped, summaries, svc: service }
}

const tile = (col: number, priority: 1 | 2 | 3, rank = 0): TileRequest => ({ level: 0, col, row: 0, priority, rank })
const key = (col: number): string => `0/${col}/0`

describe('TextureService queue cap', () => {
  it('lets a burst of urgent new requests evict old LOW ones', async () => {
    const { raster, request, dropped, summaries, svc } = await setUp(5, 1)
    await request([0, 1, 2, 3, 4].map((c) => tile(c, 3, c)))
    await flush()
    expect([...raster.running.keys()]).toEqual([key(0)])
    await request([10, 11, 12].map((c) => tile(c, 1)))
    // The least urgent pending first: LOW with the highest ranks; the running one stays.
    expect(dropped()).toEqual([key(4), key(3), key(2)])
    expect(summaries()).toHaveLength(1)
    expect(summaries()[0]!.error.message).toMatch(/^3 least urgent tile requests dropped: more than 5 pending/)
    expect(svc.stats().pending + svc.stats().active).toBe(5)
    // The urgent ones are served next.
    raster.finish(key(0))
    await flush()
    expect([...raster.running.keys()]).toEqual([key(10)])
  })

  it('drops the least urgent first (priority, then rank), and the oldest first among equals', async () => {
    const { request, dropped } = await setUp(6, 1)
    await request([tile(0, 1)]) // runs
    await flush()
    await request([tile(1, 2, 0), tile(2, 3, 0), tile(3, 3, 7), tile(4, 3, 0), tile(5, 2, 9)])
    await request([tile(6, 3, 0), tile(7, 3, 0), tile(8, 1)])
    // Over by 3: LOW rank 7, then the LOW rank 0 ones oldest first (2, then 4; 6 and 7 are newer).
    expect(dropped()).toEqual([key(3), key(2), key(4)])
    await request([tile(9, 1), tile(10, 1)])
    expect(dropped().slice(3)).toEqual([key(6), key(7)])
  })

  it('in fifo mode, drops the oldest', async () => {
    const { svc, request, dropped } = await setUp(4, 1)
    await svc.receive({ type: 'configure', id: 2, scheduling: 'fifo' })
    await request([tile(0, 3), tile(1, 1), tile(2, 1)])
    await flush()
    await request([tile(3, 3), tile(4, 1), tile(5, 1)])
    // 0 runs; the oldest pending (1, 2) go, whatever priority they were asked with.
    expect(dropped()).toEqual([key(1), key(2)])
  })

  it('never drops a running load, even when only new requests are left to drop', async () => {
    const { raster, request, dropped, sink, svc } = await setUp(2, 2)
    await request([tile(0, 3), tile(1, 3)])
    await flush()
    expect(raster.running.size).toBe(2)
    await request([tile(2, 1), tile(3, 1)])
    expect(dropped().sort()).toEqual([key(2), key(3)])
    raster.finish(key(0))
    raster.finish(key(1))
    await sink.until(() => sink.frames.length === 2)
    expect(svc.stats()).toMatchObject({ pending: 0, active: 0, done: 2 })
  })

  it('keeps pending + active within the cap, reports every drop, and drops no tile more urgent than one it keeps', async () => {
    type Step = { kind: 'batch'; tiles: Array<{ priority: 1 | 2 | 3; rank: number }> } | { kind: 'finish'; count: number }
    const step: fc.Arbitrary<Step> = fc.oneof(
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('batch' as const), tiles: fc.array(fc.record({ priority: fc.constantFrom(1, 2, 3) as fc.Arbitrary<1 | 2 | 3>, rank: fc.nat(3) }), { maxLength: 12 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('finish' as const), count: fc.nat(3) }) }
    )
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 25 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 3 }), async (steps, cap, workers) => {
        const { raster, request, dropped, sink, svc } = await setUp(Math.max(cap, workers), workers)
        const urgency = new Map<string, [priority: number, rank: number, age: number]>()
        const finished = new Set<string>()
        let next = 0
        for (const s of steps) {
          if (s.kind === 'finish') {
            for (const k of [...raster.running.keys()].slice(0, s.count)) {
              finished.add(k)
              raster.finish(k)
            }
            await flush()
          } else {
            const before = dropped().length
            const tiles = s.tiles.map((t) => tile(next++, t.priority, t.rank))
            for (const t of tiles) urgency.set(key(t.col), [t.priority, t.rank ?? 0, t.col])
            await request(tiles)
            const { pending, active } = svc.stats()
            expect(pending + active).toBeLessThanOrEqual(Math.max(cap, workers))
            const droppedNow = dropped().slice(before)
            const droppedAll = new Set(dropped())
            // What still waits: asked, and neither dropped, nor finished, nor running.
            const waiting = [...urgency.keys()].filter((k) => !droppedAll.has(k) && !finished.has(k) && !raster.running.has(k))
            expect(waiting.length).toBe(pending)
            for (const d of droppedNow) {
              const [dp, dr, da] = urgency.get(d)!
              for (const k of waiting) {
                const [kp, kr, ka] = urgency.get(k)!
                // k would not have been dropped before d: more urgent, or as urgent and newer.
                expect(kp < dp || (kp === dp && (kr < dr || (kr === dr && ka > da)))).toBe(true)
              }
            }
            if (droppedNow.length > 0) expect(sink.messages.at(-1)).toMatchObject({ type: 'error', error: { code: 'overloaded' } })
          }
        }
        for (const k of [...raster.running.keys()]) raster.finish(k)
        await svc.close()
        // Every tile asked is accounted for once: sent, dropped (and reported), or cancelled at close.
        const stats = svc.stats()
        expect(sink.frames.length + stats.cancelled).toBe(next)
        expect(dropped().length).toBeLessThanOrEqual(stats.cancelled)
        service = null
      }),
      { numRuns: 60, seed: 3 }
    )
  })
})
