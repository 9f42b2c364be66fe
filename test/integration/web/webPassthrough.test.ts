/**
 * Web tiles passed through (issue 25): to a connection that decodes PNG, JPEG or WebP, a web layer's
 * tile is the server's own image (MapServer's GetMap, a gdal2tiles PNG on nginx), the same pixels as
 * the host's decode sent raw to a connection that does not (`PASSED_THROUGH`). An XYZ tile the pyramid has not (a 404) is empty, not an
 * error; a ServiceException is still refused in words.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import type { TileEncoding } from '../../../src/shared/protocol'
import { tileGrid, tileRect } from '../../../src/shared/tiles'
import { Raster } from '../../../src/main/raster/Raster'
import { type DecodedTile, type EncodedTile, type LoadedTile, isEncodedTile } from '../../../src/main/raster/types'
import { fetchServiceDocument } from '../../../src/main/web/capabilities'
import { wmsLayerGrid } from '../../../src/main/web/layerGrids'
import { webRasterInfo } from '../../../src/main/web/openWebLayer'
import { WebTileReader } from '../../../src/main/web/webTileReader'
import { useWebServices } from '../../helpers/webServices'

const HALF = Math.PI * 6378137

// One cache per layer, long-lived answers: both reads of a tile are of the same bytes.
const web = useWebServices('webpass', { pyramid: true, serverLines: ['types { image/png png; text/xml xml; }'] })
const { freshCache, open } = web

const accepting = (...encodings: TileEncoding[]): ReadonlySet<TileEncoding> => new Set(encodings)

function encoded(tile: LoadedTile): EncodedTile {
  if (!isEncodedTile(tile)) throw new Error('expected the server’s own image, got pixels')
  return tile
}

function decoded(tile: LoadedTile): DecodedTile {
  if (isEncodedTile(tile)) throw new Error(`expected pixels, got ${tile.encoding} bytes`)
  return tile
}

/** The RGBA8 pixels of an encoded tile's top-left width × height, as a renderer decodes them. */
async function pixelsOf(tile: EncodedTile): Promise<Uint8Array> {
  const { data: rgba, info } = await sharp(tile.bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  const out = new Uint8Array(tile.width * tile.height * 4)
  for (let y = 0; y < tile.height; y++) out.set(rgba.subarray(y * info.width * 4, (y * info.width + tile.width) * 4), y * tile.width * 4)
  return out
}

describe('WMS tiles passed through (MapServer)', () => {
  it('sends a GetMap PNG as png where PNG is accepted: the same pixels as raw, edge tiles at their own size', async () => {
    const raster = await open({ service: 'wms', url: web.nginx.url('/wms?SERVICE=WMS&REQUEST=GetCapabilities'), layer: 'ortho', crs: 'EPSG:31370' })
    const { levels, tileSize } = raster.info
    // Level 0's last column: an edge tile narrower than 256 (its GetMap asks for its own width).
    const level = 0
    const { cols } = tileGrid(levels[level]!, tileSize)
    const col = cols - 1
    const rect = tileRect(levels[level]!, tileSize, col, 0)
    expect(rect.width).toBeLessThan(256)
    const png = encoded(await raster.readTileAs(level, col, 0, accepting('jpeg', 'webp', 'png')))
    expect([png.encoding, png.width, png.height]).toEqual(['png', rect.width, rect.height])
    expect((await sharp(png.bytes).metadata()).format).toBe('png')
    const raw = decoded(await raster.readTileAs(level, col, 0, accepting()))
    expect(Buffer.from(await pixelsOf(png)).equals(Buffer.from(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength))).toBe(true)
    expect(raw.data.some((v, i) => i % 4 !== 3 && v !== 0)).toBe(true) // an image, not an empty tile
  }, 60_000)

  it('sends a GetMap JPEG as jpeg where JPEG is accepted', async () => {
    const raster = await open({ service: 'wms', url: web.nginx.url('/wms?SERVICE=WMS&REQUEST=GetCapabilities'), layer: 'ortho', crs: 'EPSG:31370', format: 'image/jpeg' })
    const last = raster.info.levels.length - 1
    const jpeg = encoded(await raster.readTileAs(last, 0, 0, accepting('jpeg', 'png')))
    expect(jpeg.encoding).toBe('jpeg')
    expect((await sharp(jpeg.bytes).metadata()).format).toBe('jpeg')
    const raw = decoded(await raster.readTileAs(last, 0, 0, accepting('png')))
    expect(Buffer.from(await pixelsOf(jpeg)).equals(Buffer.from(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength))).toBe(true)
  }, 60_000)

  it('still refuses a ServiceException in the server’s words when PNG is accepted', async () => {
    // The capabilities as the server wrote them, but a layer it does not have: its GetMap is refused (an XML body).
    const cache = freshCache()
    const document = await fetchServiceDocument(web.nginx.url('/wms'), cache)
    if (document.service !== 'wms') throw new Error('expected a WMS')
    const wms = { ...document.wms, layers: document.wms.layers.map((l) => (l.name === 'ortho' ? { ...l, name: 'nosuchlayer' } : l)) }
    const grid = wmsLayerGrid(wms, 'nosuchlayer', { viewCrs: 'EPSG:31370' })
    const source = { kind: 'web', service: 'wms', url: web.nginx.url('/wms'), layer: 'nosuchlayer', attribution: '' } as const
    const raster = new Raster(webRasterInfo(grid, 'x', 'png', source), 'WMS layer nosuchlayer', new WebTileReader(grid, cache, web.pool))
    web.closeAfter(raster)
    await expect(raster.readTileAs(grid.levels.length - 1, 0, 0, accepting('png', 'jpeg', 'webp'))).rejects.toThrow(/of WMS layer nosuchlayer: the server refused .*LayerNotDefined/)
  }, 60_000)
})

describe('XYZ tiles passed through (gdal2tiles on nginx)', () => {
  const template = (): string => web.nginx.url('/xyz/{z}/{x}/{y}.png')

  it('sends the pyramid’s PNG file as it is where PNG is accepted, and its pixels as libvips reads it where not', async () => {
    const raster = await open({ service: 'xyz', url: template(), layer: template() })
    const z = web.pyramid.maxZoom
    const level = raster.info.levels.length - 1 - z // level 0 is zoom 19 (the template's default range 0–19)
    const [x, y] = web.pyramid.centreOf(4, 4)
    const size = (2 * HALF) / 2 ** z
    const col = Math.floor((x + HALF) / size)
    const row = Math.floor((HALF - y) / size)
    const file = readFileSync(join(web.pyramid.dir, 'xyz', String(z), String(col), `${row}.png`))
    const png = encoded(await raster.readTileAs(level, col, row, accepting('png', 'jpeg', 'webp')))
    expect([png.encoding, png.width, png.height]).toEqual(['png', 256, 256])
    expect(Buffer.from(png.bytes).equals(file)).toBe(true)
    const tile = decoded(await raster.readTileAs(level, col, row, accepting('jpeg', 'webp')))
    expect([tile.width, tile.height, tile.channels]).toEqual([256, 256, 4])
    const expected = await pixelsOf({ encoding: 'png', width: 256, height: 256, bytes: file })
    expect(Buffer.from(tile.data.buffer, tile.data.byteOffset, tile.data.byteLength).equals(Buffer.from(expected))).toBe(true)
  }, 60_000)

  it('reads a tile the pyramid has not (HTTP 404) as an empty tile: transparent pixels raw, a transparent PNG when accepted, no bytes at all where empty is', async () => {
    const raster = await open({ service: 'xyz', url: template(), layer: template() })
    const world = raster.info.levels.length - 1 // zoom 0: the pyramid starts finer, nginx answers 404
    expect(web.pyramid.minZoom).toBeGreaterThan(0)
    const raw = decoded(await raster.readTile(world, 0, 0))
    expect([raw.width, raw.height, raw.channels]).toEqual([256, 256, 4])
    expect(raw.data.every((v) => v === 0)).toBe(true)
    const png = encoded(await raster.readTileAs(world, 0, 0, accepting('png')))
    expect([png.encoding, png.width, png.height]).toEqual(['png', 256, 256])
    expect(png.bytes.byteLength).toBeLessThan(1024)
    expect((await pixelsOf(png)).every((v) => v === 0)).toBe(true)
    expect(decoded(await raster.readTileAs(world, 0, 0, accepting('jpeg'))).data.every((v) => v === 0)).toBe(true)
    // As the page's tile worker takes it: said empty, nothing to send or decode.
    const none = encoded(await raster.readTileAs(world, 0, 0, accepting('png', 'jpeg', 'webp', 'empty')))
    expect([none.encoding, none.width, none.height, none.bytes.byteLength]).toEqual(['empty', 256, 256, 0])
  }, 60_000)

  /** Column and row at zoom `z` of the point (x, y) in EPSG:3857. */
  const tileAt = (z: number, x: number, y: number): [number, number] => {
    const size = (2 * HALF) / 2 ** z
    return [Math.floor((x + HALF) / size), Math.floor((HALF - y) / size)]
  }
  const rgba = (tile: DecodedTile): Uint32Array => new Uint32Array(new Uint8Array(tile.data).buffer)
  /** The pyramid as a bare template's layer (zooms 0–19), the level of zoom 0, the pyramid's deepest zoom, and a point in its data. */
  const pyramidLayer = async (): Promise<{ raster: Raster; last: number; deepest: number; x: number; y: number }> => {
    const raster = await open({ service: 'xyz', url: template(), layer: template() })
    const [x, y] = web.pyramid.centreOf(4, 4)
    return { raster, last: raster.info.levels.length - 1, deepest: web.pyramid.maxZoom, x, y }
  }

  it('draws a tile past the pyramid’s deepest zoom from its ancestor’s part, magnified (overzoom), where it was a hole', async () => {
    const raster = await open({ service: 'xyz', url: template(), layer: template() })
    const last = raster.info.levels.length - 1 // level of zoom 0 (the template's range 0–19)
    const deepest = web.pyramid.maxZoom
    const [x, y] = web.pyramid.centreOf(4, 4)
    const [pc, pr] = tileAt(deepest, x, y)
    const parent = rgba(decoded(await raster.readTile(last - deepest, pc, pr)))
    for (const below of [1, 2]) {
      const z = deepest + below
      const [col, row] = tileAt(z, x, y)
      const factor = 2 ** below
      const left = (col % factor) * (256 / factor)
      const top = (row % factor) * (256 / factor)
      const expected = new Uint32Array(256 * 256)
      for (let v = 0; v < 256; v++) for (let u = 0; u < 256; u++) expected[v * 256 + u] = parent[(top + Math.floor(v / factor)) * 256 + left + Math.floor(u / factor)]!
      const tile = decoded(await raster.readTile(last - z, col, row))
      expect([tile.width, tile.height, tile.channels]).toEqual([256, 256, 4])
      expect(Buffer.from(rgba(tile).buffer).equals(Buffer.from(expected.buffer))).toBe(true)
      expect(expected.some((p) => p !== 0)).toBe(true) // the centre has data: not an empty tile by chance
      // Not the server's bytes: where PNG is accepted too, the magnified pixels.
      const asPng = decoded(await raster.readTileAs(last - z, col, row, accepting('png')))
      expect(Buffer.from(rgba(asPng).buffer).equals(Buffer.from(expected.buffer))).toBe(true)
    }
  }, 60_000)

  it('keeps a 404 around the data at a zoom the server answers empty, without asking for its ancestors, even when it comes before any image', async () => {
    const { raster, last, deepest, x, y } = await pyramidLayer()
    const far = tileAt(deepest, x + 3_000_000, y - 3_000_000)
    web.nginx.clearAccessLog()
    // Both asked at once: the 404 may come first; the image at its zoom says it is outside the data.
    const [outside, inside] = await Promise.all([raster.readTile(last - deepest, ...far), raster.readTile(last - deepest, ...tileAt(deepest, x, y))])
    expect(decoded(outside).data.every((v) => v === 0)).toBe(true)
    expect(decoded(inside).data.some((v) => v !== 0)).toBe(true)
    await new Promise((r) => setTimeout(r, 100))
    expect(web.nginx.accessLog().filter((e) => e.uri.startsWith('/xyz/')).map((e) => e.uri).sort()).toEqual(
      [`/xyz/${deepest}/${far[0]}/${far[1]}.png`, `/xyz/${deepest}/${tileAt(deepest, x, y).join('/')}.png`].sort()
    )
  }, 60_000)

  it('keeps a tile the pyramid has not within its zooms (outside its data) empty, and one past them with no ancestor within reach', async () => {
    const { raster, last, deepest, x, y } = await pyramidLayer()
    await raster.readTile(last - deepest, ...tileAt(deepest, x, y)) // the server has answered at its deepest zoom
    // Far from the data: 404 at every zoom.
    const [fx, fy] = [x + 3_000_000, y - 3_000_000]
    expect(decoded(await raster.readTile(last - deepest, ...tileAt(deepest, fx, fy))).data.every((v) => v === 0)).toBe(true)
    expect(decoded(await raster.readTile(last - deepest - 1, ...tileAt(deepest + 1, fx, fy))).data.every((v) => v === 0)).toBe(true)
  }, 60_000)
})
