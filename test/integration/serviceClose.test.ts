/**
 * Closing a connection never waits on a tile load that ignores its signal (issue 12), and every
 * connection is one client of one process-wide loader: what one leaves behind does not hold back
 * the next. The raster is a stub at the opener's edge whose tile reads never settle.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { TextureService } from '../../src/main/service/TextureService'
import { sharedTileLoader } from '../../src/main/service/tileLoader'
import { AsyncImageLoader, stopGlobalLoader } from '../../src/main/loader'
import { closeDefaultPool } from '../../src/main/pool/defaultPool'
import type { DecodedTile, LoadedTile, RasterSource } from '../../src/main/raster/types'
import type { RasterInfo } from '../../src/shared/raster'
import { pyramidLevels } from '../../src/shared/tiles'
import { MemorySink } from '../helpers/serviceFixtures'

const SIDE = 1 << 16

/** A raster whose tile reads never settle, whatever their signal says, unless `answers` is set. */
function stuckRaster(answers = false): RasterSource {
  const info = {
    name: 'stuck.tif', format: 'tiff', fileSize: 0, width: SIDE, height: SIDE, tileSize: 256, levels: pyramidLevels(SIDE, SIDE, 256),
    bands: 3, sampleType: 'uint8', hasAlpha: false, tileChannels: 4, tileSampleType: 'uint8', statistics: null, georeference: null,
    strategy: 'tiled', pyramidReady: true
  } as RasterInfo
  return {
    info,
    readTile: () =>
      answers ? Promise.resolve<DecodedTile>({ width: 1, height: 1, channels: 4, data: new Uint8Array(4) }) : new Promise<DecodedTile>(() => {}),
    close: async () => {}
  }
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

async function openService(options: { raster: RasterSource; loader?: AsyncImageLoader<LoadedTile>; maxWorkers?: number }) {
  const sink = new MemorySink()
  const service = new TextureService({ sink, openRaster: async () => options.raster, loader: options.loader, maxWorkers: options.maxWorkers, watchFiles: false })
  const reply = await service.receive({ type: 'open', id: 1, path: '/stuck.tif' })
  if (reply?.type !== 'reply') throw new Error('open failed')
  const { rasterId } = reply.result as { rasterId: string }
  const request = (cols: number[]): Promise<unknown> =>
    service.receive({ type: 'request', rasterId, tiles: cols.map((col) => ({ level: 0, col, row: 0, priority: 2 })) })
  return { service, sink, request }
}

afterEach(async () => {
  await stopGlobalLoader()
})

describe('TextureService close', () => {
  it('resolves although its tile loads never settle, cancels everything and sends nothing', async () => {
    const loader = new AsyncImageLoader<LoadedTile>({ maxWorkers: 2, stopGraceMs: 30 })
    loader.start()
    const { service, sink, request } = await openService({ raster: stuckRaster(), loader, maxWorkers: 2 })
    await request([0, 1, 2])
    await flush()
    expect(service.stats()).toMatchObject({ pending: 1, active: 2 })
    await service.close()
    expect(service.stats()).toMatchObject({ pending: 0, active: 0, cancelled: 3 })
    expect(sink.frames).toEqual([])
    // The stuck loads were abandoned: the next connection gets every slot.
    const next = await openService({ raster: stuckRaster(true), loader })
    await next.request([0, 1])
    await next.sink.until(() => next.sink.frames.length === 2)
    await next.service.close()
  })

  it('resolves on the process-wide loader too, within its grace time', async () => {
    const { service, request } = await openService({ raster: stuckRaster() })
    await request([0])
    await flush()
    expect(sharedTileLoader().runningCount).toBe(1)
    const began = Date.now()
    await service.close()
    expect(Date.now() - began).toBeLessThan(AsyncImageLoader.defaultOptions.stopGraceMs + 1000)
    expect(sharedTileLoader().runningCount).toBe(0)
  })

  it('quitting (closing the decode pools) stops the process-wide loader without waiting on a stuck load', async () => {
    const { service, request } = await openService({ raster: stuckRaster() })
    await request([0, 1])
    await flush()
    const loader = sharedTileLoader()
    expect(loader.runningCount).toBe(2) // the tile pool has at least 2 workers
    await closeDefaultPool()
    expect(loader.isStarted).toBe(false)
    expect(loader.runningCount).toBe(0)
    expect(service.stats()).toMatchObject({ pending: 0, active: 0, cancelled: 2 })
    expect(sharedTileLoader()).not.toBe(loader)
    await service.close()
  })

  it('shares one loader between connections: each is served, in turn', async () => {
    const a = await openService({ raster: stuckRaster(true) })
    const b = await openService({ raster: stuckRaster(true) })
    await a.request([0, 1, 2])
    await b.request([0, 1, 2])
    await a.sink.until(() => a.sink.frames.length === 3)
    await b.sink.until(() => b.sink.frames.length === 3)
    expect(a.service.stats().done + b.service.stats().done).toBe(6)
    await Promise.all([a.service.close(), b.service.close()])
  })
})
