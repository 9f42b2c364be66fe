/**
 * Web layers against real servers (issue 25): MapServer's WMS behind fcgiwrap and nginx, and a
 * gdal2tiles pyramid served by nginx as XYZ, TMS and WMTS. Tiles are read through the layer's
 * RasterSource (cache, HTTP client, decode pool) and compared with GDAL's own pictures.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { DecodedTile } from '../../../src/main/raster/types'
import { Raster } from '../../../src/main/raster/Raster'
import { fetchServiceDocument, readWebCapabilities } from '../../../src/main/web/capabilities'
import { wmsLayerGrid } from '../../../src/main/web/layerGrids'
import { webRasterInfo } from '../../../src/main/web/openWebLayer'
import { WebTileReader } from '../../../src/main/web/webTileReader'
import { startFaultProxy } from '../../helpers/faultProxy'
import proj4 from 'proj4'
import { levelForZoom, tileGrid } from '../../../src/shared/tiles'
import { gdal, readEnvi } from '../../helpers/gdal'
import { startNginx } from '../../helpers/nginx'
import { useWebServices } from '../../helpers/webServices'

const tileLocations = (root: string): string[] => [
  `location /cached/ { alias ${root}/; add_header Cache-Control "max-age=3600"; }`,
  `location /nostore/ { alias ${root}/; add_header Cache-Control "no-store"; }`,
  `location /revalidate/ { alias ${root}/; add_header Cache-Control "no-cache"; }`
]

const web = useWebServices('web', { pyramid: true, locations: tileLocations, serverLines: ['types { image/png png; text/xml xml; }'] })
const { freshCache, open } = web

/** RGB of a decoded RGBA tile at (x, y). */
const rgbAt = (tile: DecodedTile, x: number, y: number): number[] => Array.from(tile.data.subarray((y * tile.width + x) * 4, (y * tile.width + x) * 4 + 3))

describe('WMS: MapServer', () => {
  it('reads the capabilities of the real server: layers, their CRSs, the attribution', async () => {
    const caps = await readWebCapabilities(web.nginx.url('/wms'), freshCache())
    expect(caps.service).toBe('wms')
    expect(caps.version).toBe('1.3.0')
    expect(caps.layers.map((l) => l.name)).toEqual(['tessera', 'ortho', 'dem'])
    expect(caps.layers.find((l) => l.name === 'dem')!.crs).toEqual(['EPSG:31370', 'EPSG:3857', 'EPSG:4326', 'EPSG:32631'])
    expect(caps.attribution).toBe('Test data (c) Tessera')
  })

  /**
   * Tile (col, row) of `level` compared with `gdalwarp -r near` of the orthophoto onto the tile's
   * own grid in the layer's CRS (`-t_srs`): mean |Δ| over the RGB of the pixels the server drew;
   * `shifted`, the same with GDAL's picture one pixel to the east (what a half-pixel misplacement
   * would give), so that the bound is seen to be able to fail.
   */
  async function meanDeltaFromGdalwarp(raster: Raster, level: number, col: number, row: number, name: string): Promise<{ mean: number; shifted: number; pixels: number }> {
    const { georeference } = raster.info
    const [gx, size, , gy] = georeference!.geoTransform
    const px = size * 2 ** level
    const tile = await raster.readTile(level, col, row)
    const { tileSize } = raster.info
    const minX = gx + col * tileSize * px
    const maxY = gy - row * tileSize * px
    const out = join(web.dir, `${name}.envi`)
    const box = [minX, maxY - tile.height * px, minX + tile.width * px, maxY].map(String)
    await gdal('gdalwarp', ['-q', '-overwrite', '-r', 'near', '-t_srs', georeference!.crs!.id, '-te', ...box, '-ts', String(tile.width), String(tile.height), '-of', 'ENVI', web.data.ortho, out])
    const warped = readEnvi(out)
    const plane = warped.width * warped.height
    const delta = (shift: number): { mean: number; count: number } => {
      let sum = 0
      let count = 0
      for (let y = 0; y < tile.height; y++) {
        for (let x = 0; x + shift < tile.width; x++) {
          if (tile.data[(y * tile.width + x) * 4 + 3] === 0) continue
          for (let b = 0; b < 3; b++) {
            sum += Math.abs(tile.data[(y * tile.width + x) * 4 + b]! - (warped.data[b * plane + y * warped.width + x + shift] as number))
            count++
          }
        }
      }
      return { mean: sum / count, count }
    }
    const { mean, count } = delta(0)
    return { mean, shifted: delta(1).mean, pixels: count / 3 }
  }

  it('serves tiles equal to gdalwarp of the same source onto the same grid (mean |Δ| stated)', async () => {
    const raster = await open({ service: 'wms', url: web.nginx.url('/wms'), layer: 'ortho', viewCrs: 'EPSG:31370', format: 'image/png' })
    const { info } = raster
    expect(info.georeference!.crs!.id).toBe('EPSG:31370')
    expect(info.source).toEqual({ kind: 'web', service: 'wms', url: web.nginx.url('/wms'), layer: 'ortho', attribution: 'Orthophoto (c) a test survey' })
    // Level 3: 1.12 m pixels, near the source's 1 m; its tile (0, 0), 458 × 343 (the layer's box is smaller than a tile).
    const { mean, shifted, pixels } = await meanDeltaFromGdalwarp(raster, 3, 0, 0, 'warp31370')
    console.log(`[web] WMS tile (EPSG:31370, its own CRS) vs gdalwarp -r near: mean |Δ| ${mean.toFixed(3)} over ${pixels} pixels (${shifted.toFixed(3)} one pixel off)`)
    // The source changes by < 0.5 level per pixel: a nearest-neighbour pick one pixel off differs by under 1.
    expect(pixels).toBeGreaterThan(10_000)
    expect(mean).toBeLessThan(1)
  })

  it('serves tiles asked in EPSG:3857 equal to gdalwarp -t_srs EPSG:3857 of the same source onto the same grid (mean |Δ| stated)', async () => {
    const raster = await open({ service: 'wms', url: web.nginx.url('/wms'), layer: 'ortho', viewCrs: 'EPSG:3857', format: 'image/png' })
    expect(raster.info.georeference!.crs!.id).toBe('EPSG:3857')
    // Level 3: 1.12 m Web Mercator pixels, 0.71 m on the ground at 50.8° N (the source's 1 m pixels are 1.58 m
    // of Web Mercator there); tile (0, 0), which holds the reprojected orthophoto.
    const { mean, shifted, pixels } = await meanDeltaFromGdalwarp(raster, 3, 0, 0, 'warp3857')
    console.log(`[web] WMS tile (EPSG:3857, reprojected by MapServer) vs gdalwarp -t_srs EPSG:3857 -r near: mean |Δ| ${mean.toFixed(3)} over ${pixels} pixels (${shifted.toFixed(3)} one pixel off)`)
    expect(pixels).toBeGreaterThan(10_000)
    // Both pick the source pixel nearest each target pixel's centre through PROJ (measured: 0.000,
    // every pixel the same). The bound leaves room for an approximated transform moving a pick by
    // one source pixel here and there; a grid one pixel off (`shifted`, 0.23: the target pixels are
    // 0.71 m on the ground, finer than the source's 1 m) does not pass it.
    expect(mean).toBeLessThan(0.1)
    expect(shifted).toBeGreaterThan(0.1)
  })

  it('gives the same pixels in 1.3.0 and 1.1.1 with EPSG:4326 (axis order)', async () => {
    const v13 = await open({ service: 'wms', url: web.nginx.url('/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0'), layer: 'ortho', crs: 'EPSG:4326' })
    const v11 = await open({ service: 'wms', url: web.nginx.url('/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.1.1'), layer: 'ortho', crs: 'EPSG:4326' })
    expect(v13.info.georeference!.geoTransform).toEqual(v11.info.georeference!.geoTransform)
    const level = v13.info.levels.length - 1
    const [a, b] = await Promise.all([v13.readTile(level, 0, 0), v11.readTile(level, 0, 0)])
    expect(a.width).toBe(b.width)
    let opaque = 0
    for (let i = 3; i < a.data.length; i += 4) if (a.data[i] === 255) opaque++
    expect(opaque).toBeGreaterThan(100)
    expect(Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).equals(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength))).toBe(true)
  })

  it("says a ServiceException's text as the tile's error, never a picture", async () => {
    // The capabilities as the server wrote them, but a layer it does not have: its GetMap is refused.
    const cache = freshCache()
    const document = await fetchServiceDocument(web.nginx.url('/wms'), cache)
    if (document.service !== 'wms') throw new Error('expected a WMS')
    const wms = { ...document.wms, layers: document.wms.layers.map((l) => (l.name === 'ortho' ? { ...l, name: 'nosuchlayer' } : l)) }
    const grid = wmsLayerGrid(wms, 'nosuchlayer', { viewCrs: 'EPSG:31370' })
    const raster = new Raster(webRasterInfo(grid, 'x', 'png', { kind: 'web', service: 'wms', url: web.nginx.url('/wms'), layer: 'nosuchlayer', attribution: '' }), 'WMS layer nosuchlayer', new WebTileReader(grid, cache, web.pool))
    web.closeAfter(raster)
    await expect(raster.readTile(grid.levels.length - 1, 0, 0)).rejects.toThrow(/Cannot read tile .* of WMS layer nosuchlayer: the server refused .*LAYERS=nosuchlayer.*: LayerNotDefined: msWMSLoadGetMapParams\(\): WMS server error\. Invalid layer\(s\) given in the LAYERS parameter/)
  })

  it('aborts the HTTP request of a withdrawn tile (a server 200 ms slow)', { timeout: 20_000 }, async () => {
    const proxy = await startFaultProxy(web.nginx.port)
    try {
      proxy.always = { latencyMs: 200 }
      // An XYZ layer: MapServer writes its own host and port into the GetMap URL, which would bypass the proxy.
      const url = proxy.url('/xyz/{z}/{x}/{y}.png')
      const raster = await open({ service: 'xyz', url, layer: url })
      const before = proxy.requests.length
      const controller = new AbortController()
      const [ox, size, , oy] = raster.info.georeference!.geoTransform
      const [x, y] = web.pyramid.centreOf(4, 4)
      const px = size * 2 ** 2
      const read = raster.readTile(2, Math.floor((x - ox) / px / 256), Math.floor((oy - y) / px / 256), controller.signal)
      // Withdrawn once the proxy holds the GetMap (its answer is 200 ms away).
      while (proxy.requests.length === before) await new Promise((r) => setTimeout(r, 5))
      controller.abort()
      await expect(read).rejects.toMatchObject({ name: 'AbortError' })
      await proxy.idle()
      const getMaps = proxy.requests.slice(before)
      expect(getMaps).toHaveLength(1)
      expect(getMaps[0]!.clientClosedEarly).toBe(true)
    } finally {
      await proxy.close()
    }
  })
})

describe('a server that goes away', () => {
  it('fails its tiles with the cause at once; the other layers keep working', async () => {
    const other = await startNginx(web.dir)
    const url = other.url('/xyz/{z}/{x}/{y}.png')
    const gone = await open({ service: 'xyz', url, layer: url })
    const kept = await open({ service: 'xyz', url: web.nginx.url('/xyz/{z}/{x}/{y}.png'), layer: web.nginx.url('/xyz/{z}/{x}/{y}.png') })
    await other.stop()
    const [x, y] = web.pyramid.centreOf(1, 1)
    const address = (raster: Raster): [number, number, number] => {
      const [ox, size, , oy] = raster.info.georeference!.geoTransform
      const px = size * 2 ** 2
      return [2, Math.floor((x - ox) / px / 256), Math.floor((oy - y) / px / 256)]
    }
    await expect(gone.readTile(...address(gone))).rejects.toThrow(/connection refused by 127\.0\.0\.1:\d+/)
    const tile = await kept.readTile(...address(kept))
    expect(tile.width).toBe(256)
  })
})

describe('XYZ, TMS and WMTS: a gdal2tiles pyramid', () => {
  /** Checks every block centre: the tile of `level` holding it has the block's colour there. */
  async function groundPoints(raster: Raster, level: number): Promise<number> {
    const [ox, size, , oy] = raster.info.georeference!.geoTransform
    const px = size * 2 ** level
    let worst = 0
    for (let j = 0; j < web.pyramid.blocks; j++) {
      for (let i = 0; i < web.pyramid.blocks; i++) {
        const [x, y] = web.pyramid.centreOf(i, j)
        const col = Math.floor((x - ox) / px)
        const row = Math.floor((oy - y) / px)
        const tile = await raster.readTile(level, Math.floor(col / 256), Math.floor(row / 256))
        const got = rgbAt(tile, col % 256, row % 256)
        const want = web.pyramid.colourOf(i, j)
        worst = Math.max(worst, ...got.map((v, b) => Math.abs(v - want[b]!)))
      }
    }
    return worst
  }

  /** The block edge x = block 4's left side, found along the row of block centres (3, 3) at `level`: its error in screen pixels. */
  async function edgeError(raster: Raster, level: number): Promise<number> {
    const [ox, size, , oy] = raster.info.georeference!.geoTransform
    const px = size * 2 ** level
    const edgeX = web.pyramid.transform[0] + 4 * web.pyramid.blockPixels * web.pyramid.transform[1]
    const [, y] = web.pyramid.centreOf(3, 3)
    const row = Math.floor((oy - y) / px)
    const expectedCol = (edgeX - ox) / px
    const start = Math.floor(expectedCol) - 6
    const left = web.pyramid.colourOf(3, 3)
    for (let col = start; col < start + 12; col++) {
      const tile = await raster.readTile(level, Math.floor(col / 256), Math.floor(row / 256))
      if (rgbAt(tile, col % 256, row % 256)[0] !== left[0]) return Math.abs(col - expectedCol)
    }
    throw new Error('no edge found')
  }

  it.each([
    ['XYZ', () => ({ service: 'xyz' as const, url: web.nginx.url('/xyz/{z}/{x}/{y}.png'), layer: web.nginx.url('/xyz/{z}/{x}/{y}.png') })],
    ['TMS', () => ({ service: 'xyz' as const, url: web.nginx.url('/tms/{z}/{x}/{-y}.png'), layer: web.nginx.url('/tms/{z}/{x}/{-y}.png') })],
    ['WMTS', () => ({ service: 'wmts' as const, url: web.nginx.url('/wmts/WMTSCapabilities.xml'), layer: 'blocks' })],
    ['TMS tile map', () => ({ service: 'xyz' as const, url: web.nginx.url('/tms/tilemapresource.xml'), layer: web.nginx.url('/tms/tilemapresource.xml') })],
    ['TileJSON', () => ({ service: 'xyz' as const, url: web.nginx.url('/xyz/tiles.json'), layer: web.nginx.url('/xyz/tiles.json') })]
  ])('%s tiles sit on the ground: every block centre has its colour, the block edge within a pixel', async (name, request) => {
    const raster = await open(request())
    expect(raster.info.georeference!.crs!.id).toBe('EPSG:3857')
    // A bare template's level 0 is zoom 19; WMTS's is its finest matrix, and a document's its maxZoom: 17.
    const level = name === 'XYZ' || name === 'TMS' ? 19 - web.pyramid.maxZoom : 0
    const worst = await groundPoints(raster, level)
    const edge = await edgeError(raster, level)
    console.log(`[web] ${name}: worst colour error at 64 block centres ${worst}; block edge found ${edge.toFixed(2)} px from its place (zoom ${web.pyramid.maxZoom})`)
    expect(worst).toBe(0)
    expect(edge).toBeLessThanOrEqual(1)
  })

  it.each([
    ['a TMS tilemapresource.xml (gdal2tiles wrote it)', '/tms/tilemapresource.xml', 'blocks.tif', undefined],
    ['a TileJSON', '/xyz/tiles.json', 'Blocks', '© the Tessera tests']
  ])('reads the zooms of %s: web-capabilities answers XYZ with the zooms the pyramid has', async (_name, path, title, attribution) => {
    const caps = await readWebCapabilities(web.nginx.url(path), freshCache())
    expect(caps).toMatchObject({ service: 'xyz', title, layers: [{ name: web.nginx.url(path), title, crs: ['EPSG:3857'], minZoom: web.pyramid.minZoom, maxZoom: web.pyramid.maxZoom }] })
    expect(caps.attribution).toBe(attribution)
    // The block picture's box, its corners taken to WGS 84 by PROJ (proj4js).
    const toLonLat = proj4('EPSG:3857', 'EPSG:4326')
    const [west, north] = toLonLat.forward([web.pyramid.transform[0], web.pyramid.transform[3]])
    const [east, south] = toLonLat.forward([web.pyramid.transform[0] + web.pyramid.width * web.pyramid.transform[1], web.pyramid.transform[3] + web.pyramid.height * web.pyramid.transform[5]])
    caps.layers[0]!.bbox84!.forEach((value, i) => expect(value).toBeCloseTo([west, south, east, north][i]!, 5))
  })

  it.each([
    ['the TMS tile map', '/tms/tilemapresource.xml', '/tms/', {}],
    ['the TileJSON', '/xyz/tiles.json', '/xyz/', {}],
    ['the template told its zooms (open-web-layer minZoom/maxZoom)', '/xyz/{z}/{x}/{y}.png', '/xyz/', { minZoom: 15, maxZoom: 17 }]
  ])('zooming in past the finest zoom, and out past the coarsest, of %s asks for no tile the pyramid lacks: no 404', async (_name, path, prefix, zooms) => {
    const url = web.nginx.url(path)
    const raster = await open({ service: 'xyz', url, layer: url, ...zooms })
    const { levels, tileSize } = raster.info
    expect(levels).toHaveLength(web.pyramid.maxZoom - web.pyramid.minZoom + 1)
    // The renderer's level for a view at 1, 2, 8 and 64 screen pixels per level-0 pixel is level 0, zoom 17,
    // magnified; at 1/64 (the whole country on screen) the coarsest, zoom 15.
    for (const zoom of [1, 2, 8, 64]) expect(levelForZoom(zoom, levels.length)).toBe(0)
    expect(levelForZoom(1 / 64, levels.length)).toBe(levels.length - 1)
    // Every tile any view can ask for, at every level.
    web.nginx.clearAccessLog()
    const [x, y] = web.pyramid.centreOf(4, 4)
    const [ox, size, , oy] = raster.info.georeference!.geoTransform
    let tiles = 0
    for (let level = 0; level < levels.length; level++) {
      const { cols, rows } = tileGrid(levels[level]!, tileSize)
      // A world grid (a bare template knows no box): the tile at the picture's centre; it has tiles
      // around the picture that gdal2tiles never wrote (404s of another cause than zooms).
      const px = size * 2 ** level
      const cx = Math.floor((x - ox) / px / tileSize)
      const cy = Math.floor((oy - y) / px / tileSize)
      const bounded = cols * rows <= 64
      for (let row = bounded ? 0 : cy; row <= (bounded ? rows - 1 : cy); row++) {
        for (let col = bounded ? 0 : cx; col <= (bounded ? cols - 1 : cx); col++) {
          const tile = await raster.readTile(level, col, row)
          expect(tile.width).toBe(256)
          tiles++
        }
      }
    }
    await new Promise((r) => setTimeout(r, 100))
    const log = web.nginx.accessLog().filter((entry) => entry.uri.startsWith(prefix))
    const zoomsAsked = new Set(log.map((entry) => Number(entry.uri.slice(prefix.length).split('/')[0])))
    console.log(`[web] ${_name}: ${tiles} tiles read over zooms ${[...zoomsAsked].sort().join(', ')}, ${log.length} requests, statuses ${[...new Set(log.map((e) => e.status))].join(', ')}`)
    expect(log.length).toBeGreaterThan(0)
    expect([...zoomsAsked].every((z) => z >= web.pyramid.minZoom && z <= web.pyramid.maxZoom)).toBe(true)
    expect(log.filter((entry) => entry.status !== 200)).toEqual([])
  })

  it('takes a missing XYZ tile (HTTP 404) as an empty tile, as OpenLayers and QGIS do: a pyramid has no file where it has no data', async () => {
    const url = web.nginx.url('/xyz/{z}/{x}/{y}.png')
    const raster = await open({ service: 'xyz', url, layer: url })
    web.nginx.clearAccessLog()
    // Zoom 19 was never written.
    const tile = await raster.readTile(0, 268_000, 178_000)
    expect([tile.width, tile.height, tile.channels]).toEqual([256, 256, 4])
    expect(tile.data.every((v) => v === 0)).toBe(true)
    await new Promise((r) => setTimeout(r, 100))
    // Past any zoom the server has answered, its ancestors are asked too (overzoom), each once: none has an image here.
    const asked = [0, 1, 2, 3, 4, 5, 6].map((up) => [`/xyz/${19 - up}/${268_000 >> up}/${178_000 >> up}.png`, 404])
    expect(web.nginx.accessLog().map((e) => [e.uri, e.status])).toEqual(asked)
    // Asked for again (a pan's margin dropped and wanted again): the server's word holds, no request.
    const again = await raster.readTile(0, 268_000, 178_000)
    expect(again.data.every((v) => v === 0)).toBe(true)
    await new Promise((r) => setTimeout(r, 100))
    expect(web.nginx.accessLog()).toHaveLength(asked.length)
  })
})

describe('the disk cache follows HTTP caching', () => {
  const tileRequests = (prefix: string): number => web.nginx.accessLog().filter((entry) => entry.uri.startsWith(prefix)).length

  async function readTwice(prefix: string): Promise<{ requests: number; statuses: number[] }> {
    const url = web.nginx.url(`${prefix}xyz/{z}/{x}/{y}.png`)
    const cache = freshCache()
    const [x, y] = web.pyramid.centreOf(2, 2)
    web.nginx.clearAccessLog()
    for (let pass = 0; pass < 2; pass++) {
      const raster = await open({ service: 'xyz', url, layer: url }, cache)
      const [ox, size, , oy] = raster.info.georeference!.geoTransform
      const px = size * 2 ** 2
      await raster.readTile(2, Math.floor((x - ox) / px / 256), Math.floor((oy - y) / px / 256))
    }
    await new Promise((r) => setTimeout(r, 100))
    const entries = web.nginx.accessLog().filter((entry) => entry.uri.startsWith(prefix))
    return { requests: tileRequests(prefix), statuses: entries.map((e) => e.status) }
  }

  it('serves a second read of a max-age tile without a request', async () => {
    expect(await readTwice('/cached/')).toEqual({ requests: 1, statuses: [200] })
  })

  it('asks again for a no-store tile', async () => {
    expect(await readTwice('/nostore/')).toEqual({ requests: 2, statuses: [200, 200] })
  })

  it('revalidates a no-cache tile with its ETag: the server answers 304', async () => {
    expect(await readTwice('/revalidate/')).toEqual({ requests: 2, statuses: [200, 304] })
  })
})
