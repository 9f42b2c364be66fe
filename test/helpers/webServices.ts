/**
 * The fixture of the web-layer integration tests (issue 25): MapServer's WMS behind fcgiwrap and
 * nginx over GDAL-written data (and, when asked, a gdal2tiles pyramid nginx serves as XYZ, TMS and
 * WMTS), a decode pool, and web layers opened through `openWebLayer` with a tile cache of their
 * own, all made before the file's tests and closed after them. GDAL is required (CI installs it:
 * without it every test fails with the reason, never skips).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { createDecodePool, type DecodePool } from '../../src/main/raster/decodePools'
import type { Raster } from '../../src/main/raster/Raster'
import { openWebLayer } from '../../src/main/web/openWebLayer'
import { TileCache } from '../../src/main/web/tileCache'
import { requireGdal } from './gdal'
import { type MapServerProcess, type WmsData, startMapServer, writeWmsData } from './mapserver'
import { type NginxServer, startNginx } from './nginx'
import { type XyzPyramid, writeXyzPyramid } from './xyzPyramid'

export interface WebServicesOptions {
  /** Writes the gdal2tiles pyramid too (`pyramid` is undefined otherwise). */
  pyramid?: boolean
  /** More nginx locations, given the served folder. */
  locations?: (dir: string) => string[]
  /** Lines of nginx's `server` block. */
  serverLines?: string[]
}

/** The servers and what they serve; valid from the first test on. */
export interface WebServices {
  /** The folder nginx serves: the WMS data, the pyramid, mapfiles a test writes. */
  dir: string
  data: WmsData
  /** The gdal2tiles pyramid, when asked for. */
  pyramid: XyzPyramid
  mapserver: MapServerProcess
  nginx: NginxServer
  pool: DecodePool
  /** A tile cache of its own (a new folder): what one test fetched does not serve another. */
  freshCache(): TileCache
  /** A web layer opened with `cache` (a fresh one unless given), closed after the file's tests. */
  open(request: Parameters<typeof openWebLayer>[0], cache?: TileCache): Promise<Raster>
  /** Closes `raster` (one a test made itself) after the file's tests. */
  closeAfter(raster: Raster): void
}

/** Registers the hooks of the fixture in the calling test file; `name` names its folders. */
export function useWebServices(name: string, options: WebServicesOptions = {}): WebServices {
  const opened: Raster[] = []
  let cacheDir: string | undefined
  let caches = 0
  const web = {
    freshCache: () => new TileCache({ dir: join(cacheDir!, String(++caches)), maxBytes: 64 * 1024 * 1024 }),
    open: async (request, cache = web.freshCache()) => {
      const raster = await openWebLayer(request, cache, web.pool)
      opened.push(raster)
      return raster
    },
    closeAfter: (raster) => void opened.push(raster)
  } as WebServices
  beforeAll(async () => {
    requireGdal()
    web.dir = mkdtempSync(join(tmpdir(), `tessera-${name}-`))
    cacheDir = mkdtempSync(join(tmpdir(), `tessera-${name}-cache-`))
    web.data = await writeWmsData(web.dir)
    if (options.pyramid) web.pyramid = await writeXyzPyramid(web.dir)
    web.mapserver = await startMapServer(web.data)
    web.nginx = await startNginx(web.dir, { locations: [web.mapserver.location('/wms'), ...(options.locations?.(web.dir) ?? [])], serverLines: options.serverLines })
    web.pool = createDecodePool({ size: 1 })
  }, 180_000) // GDAL's writing and MapServer's start
  afterAll(async () => {
    await Promise.all(opened.map((raster) => raster.close()))
    await web.nginx?.stop()
    await web.mapserver?.stop()
    await web.pool?.close()
    if (web.dir) rmSync(web.dir, { recursive: true, force: true })
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true })
  })
  return web
}
