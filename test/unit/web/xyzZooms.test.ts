/**
 * The zooms and extent of XYZ layers: TMS tile maps and TileJSON documents read into a template,
 * a zoom range and a box; the pyramid built over them (level 0 the finest zoom, nothing finer,
 * the coarsest level the coarsest zoom, only the tiles of the box); the person's range over the
 * document's.
 */
import { describe, expect, it } from 'vitest'
import { capabilitiesUrl } from '../../../src/main/web/capabilities'
import { xyzZooms } from '../../../src/main/web/openWebLayer'
import { readTileJson, readTileMap, resolveTemplate } from '../../../src/main/web/xyzDocument'
import { tileRangeOf, xyzLayerGrid } from '../../../src/main/web/xyzGrid'
import { WEB_MERCATOR_HALF } from '../../../src/main/web/xyzTemplate'
import { parseXml } from '../../../src/main/web/xml'

/** A tile map as gdal2tiles.py 3.6 writes it for its mercator profile (its box in degrees). */
function gdal2tilesTileMap(zooms: number[], options: { srs?: string; href?: (z: number) => string; box?: string; tile?: number } = {}): string {
  const sets = zooms.map((z) => `    <TileSet href="${options.href?.(z) ?? z}" units-per-pixel="${(156543.0339 / 2 ** z).toFixed(14)}" order="${z}"/>`).join('\n')
  return `<?xml version="1.0" encoding="utf-8"?>
<TileMap version="1.0.0" tilemapservice="http://tms.osgeo.org/1.0.0">
  <Title>blocks.tif</Title>
  <Abstract></Abstract>
  <SRS>${options.srs ?? 'EPSG:3857'}</SRS>
  ${options.box ?? '<BoundingBox minx="4.35686000000000" miny="50.77580000000000" maxx="4.36376000000000" maxy="50.78019000000000"/>'}
  <Origin x="4.35686000000000" y="50.77580000000000"/>
  <TileFormat width="${options.tile ?? 256}" height="${options.tile ?? 256}" mime-type="image/png" extension="png"/>
  <TileSets profile="mercator">
${sets}
  </TileSets>
</TileMap>`
}

const tileMap = (text: string, url = 'http://h/tiles/tms/tilemapresource.xml'): ReturnType<typeof readTileMap> => readTileMap(parseXml(text).root, url)

describe('a TMS tilemapresource.xml', () => {
  it('gives the template of its tiles beside it, rows from the south, and the zooms of its TileSets', () => {
    const spec = tileMap(gdal2tilesTileMap([15, 16, 17]))
    expect(spec).toEqual({
      title: 'blocks.tif',
      template: 'http://h/tiles/tms/{z}/{x}/{-y}.png',
      minZoom: 15,
      maxZoom: 17,
      bbox84: [4.35686, 50.7758, 4.36376, 50.78019],
      format: 'image/png'
    })
  })

  it('reads a box in metres (as TMS states it) into degrees', () => {
    const spec = tileMap(gdal2tilesTileMap([3], { box: `<BoundingBox minx="${-WEB_MERCATOR_HALF}" miny="0" maxx="0" maxy="${WEB_MERCATOR_HALF}"/>` }))
    expect(spec.bbox84![0]).toBeCloseTo(-180, 9)
    expect(spec.bbox84![1]).toBeCloseTo(0, 9)
    expect(spec.bbox84![2]).toBeCloseTo(0, 9)
    expect(spec.bbox84![3]).toBeCloseTo(85.0511287798, 9)
  })

  it('resolves an absolute href prefix', () => {
    expect(tileMap(gdal2tilesTileMap([0, 1], { href: (z) => `https://tiles.example/base/${z}` })).template).toBe('https://tiles.example/base/{z}/{x}/{-y}.png')
  })

  it('refuses another SRS, another tile size, hrefs without their zoom, and a TileSet at no Web Mercator zoom', () => {
    expect(() => tileMap(gdal2tilesTileMap([1], { srs: 'EPSG:4326' }))).toThrow('its SRS is EPSG:4326: Tessera reads TMS tile maps in Web Mercator (EPSG:3857) only')
    expect(() => tileMap(gdal2tilesTileMap([1], { tile: 512 }))).toThrow('its tiles are 512 × 512 pixels: Tessera reads 256-pixel tiles')
    expect(() => tileMap(gdal2tilesTileMap([1], { href: () => 'level' }))).toThrow('its TileSet href "level" does not end with its zoom 1')
    expect(() => tileMap(gdal2tilesTileMap([1, 2], { href: (z) => (z === 1 ? 'a/1' : 'b/2') }))).toThrow('its TileSet hrefs do not share one prefix ("a/" and "b/")')
    const odd = gdal2tilesTileMap([2]).replace(/units-per-pixel="[^"]*"/, 'units-per-pixel="30000"')
    expect(() => tileMap(odd)).toThrow("its TileSet 2 has 30000 units per pixel, not a Web Mercator zoom's")
  })
})

describe('a TileJSON document', () => {
  const url = 'https://maps.example/v3/streets/tiles.json?key=k'

  it('gives its first tile URL, zooms, bounds, name and attribution as text', () => {
    const spec = readTileJson(
      JSON.stringify({
        tilejson: '3.0.0',
        name: 'Streets',
        tiles: ['https://a.maps.example/streets/{z}/{x}/{y}.png', 'https://b.maps.example/streets/{z}/{x}/{y}.png'],
        minzoom: 2,
        maxzoom: 14,
        bounds: [4, 50, 6, 51],
        attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
      }),
      url
    )
    expect(spec).toEqual({ title: 'Streets', template: 'https://a.maps.example/streets/{z}/{x}/{y}.png', minZoom: 2, maxZoom: 14, bbox84: [4, 50, 6, 51], attribution: '© OpenStreetMap contributors' })
  })

  it("takes TileJSON's defaults (zooms 0–30), a relative URL against the document, and TMS rows", () => {
    const spec = readTileJson(JSON.stringify({ tilejson: '2.2.0', tiles: ['tiles/{z}/{x}/{y}.pbf'], scheme: 'tms' }), url)
    expect(spec).toEqual({ title: 'maps.example', template: 'https://maps.example/v3/streets/tiles/{z}/{x}/{-y}.pbf', minZoom: 0, maxZoom: 30 })
  })

  it('refuses what is not one, in words', () => {
    expect(() => readTileJson('{"tilejson": "3.0.0"', url)).toThrow(/^it is not valid JSON/)
    expect(() => readTileJson('{"type": "Feature"}', url)).toThrow('it is not a TileJSON document (it has no "tiles" list)')
    expect(() => readTileJson('{"tiles": ["https://h/a.png"]}', url)).toThrow('its tile URL https://h/a.png has no {z}, {x} and {y}')
    expect(() => readTileJson('{"tiles": ["https://h/{z}/{x}/{y}"], "maxzoom": 40}', url)).toThrow('its maxzoom 40 is not a zoom from 0 to 30')
    expect(() => readTileJson('{"tiles": ["https://h/{z}/{x}/{y}"], "minzoom": 9, "maxzoom": 4}', url)).toThrow('its minzoom 9 is above its maxzoom 4')
  })

  it('is fetched as given, not as a GetCapabilities request', () => {
    expect(capabilitiesUrl(url)).toBe(url)
    expect(capabilitiesUrl('http://h/tms/tilemapresource.xml')).toBe('http://h/tms/tilemapresource.xml')
  })

  it('keeps the braces of a template it resolves', () => {
    expect(resolveTemplate('../{z}/{x}/{-y}.png', 'http://h/a/b/doc.json')).toBe('http://h/a/{z}/{x}/{-y}.png')
  })
})

describe('the pyramid of an XYZ layer', () => {
  const template = 'http://h/{z}/{x}/{y}.png'

  it('has level 0 at maxZoom and its coarsest level at minZoom: no finer tile is ever asked for', () => {
    const grid = xyzLayerGrid(template, { minZoom: 3, maxZoom: 6 })
    expect(grid.levels).toHaveLength(4)
    expect(grid.geoTransform[1]).toBeCloseTo((2 * WEB_MERCATOR_HALF) / (256 * 2 ** 6), 9)
    expect(grid.request(0, 5, 7)!.url).toBe('http://h/6/5/7.png')
    expect(grid.request(3, 7, 7)!.url).toBe('http://h/3/7/7.png')
    expect(grid.levels[3]).toEqual({ width: 256 * 8, height: 256 * 8 })
  })

  it('covers the world from zoom 0 to 19 when nothing says otherwise', () => {
    const grid = xyzLayerGrid(template)
    expect(grid.levels).toHaveLength(20)
    expect(grid.geoTransform[0]).toBeCloseTo(-WEB_MERCATOR_HALF, 6)
    expect(grid.request(19, 0, 0)!.url).toBe('http://h/0/0/0.png')
  })

  it('covers only the tiles of its box at minZoom, and asks for their server addresses at every zoom', () => {
    // Brussels' blocks: at zoom 15 two tiles across at most.
    const bbox84 = [4.35686, 50.7758, 4.36376, 50.78019] as const
    const range = tileRangeOf(bbox84, 15)
    const grid = xyzLayerGrid(template, { minZoom: 15, maxZoom: 17, bbox84 })
    expect(grid.levels).toHaveLength(3)
    const cols = range.col1 - range.col0 + 1
    const rows = range.row1 - range.row0 + 1
    expect(grid.levels[2]).toEqual({ width: cols * 256, height: rows * 256 })
    expect(grid.request(2, 0, 0)!.url).toBe(`http://h/15/${range.col0}/${range.row0}.png`)
    const z17 = tileRangeOf(bbox84, 17)
    expect(grid.request(0, z17.col0 - range.col0 * 4, z17.row0 - range.row0 * 4)!.url).toBe(`http://h/17/${z17.col0}/${z17.row0}.png`)
    // The grid's corner is that tile's corner.
    const span = (2 * WEB_MERCATOR_HALF) / 2 ** 15
    expect(grid.geoTransform[0]).toBeCloseTo(-WEB_MERCATOR_HALF + range.col0 * span, 6)
    expect(grid.geoTransform[3]).toBeCloseTo(WEB_MERCATOR_HALF - range.row0 * span, 6)
  })

  it('asks for no tile of a finer zoom that misses the box (the pyramid has none there)', () => {
    const bbox84 = [4.35686, 50.7758, 4.36376, 50.78019] as const
    const grid = xyzLayerGrid(template, { minZoom: 15, maxZoom: 17, bbox84 })
    const own = tileRangeOf(bbox84, 17)
    const z15 = tileRangeOf(bbox84, 15)
    let asked = 0
    let empty = 0
    const { cols, rows } = { cols: grid.levels[0]!.width / 256, rows: grid.levels[0]!.height / 256 }
    for (let row = 0; row < rows; row++) {
      for (let col = 0; col < cols; col++) {
        const request = grid.request(0, col, row)
        const x = col + z15.col0 * 4
        const y = row + z15.row0 * 4
        const inside = x >= own.col0 && x <= own.col1 && y >= own.row0 && y <= own.row1
        expect(request === null).toBe(!inside)
        if (request) asked++
        else empty++
      }
    }
    expect(asked).toBe((own.col1 - own.col0 + 1) * (own.row1 - own.row0 + 1))
    expect(empty).toBeGreaterThan(0)
  })

  it('takes a tile-boundary edge without the next tile', () => {
    expect(tileRangeOf([-180, 0, 0, 85.0511287798], 1)).toEqual({ col0: 0, col1: 0, row0: 0, row1: 0 })
    expect(tileRangeOf([-180, -85.0511287798, 180, 85.0511287798], 2)).toEqual({ col0: 0, col1: 3, row0: 0, row1: 3 })
  })

  it("takes the person's zooms over the document's, and refuses an empty range", () => {
    const stated = { minZoom: 15, maxZoom: 17, bbox84: [4, 50, 5, 51] as [number, number, number, number] }
    expect(xyzZooms(stated, { maxZoom: 16 })).toEqual({ minZoom: 15, maxZoom: 16, bbox84: [4, 50, 5, 51] })
    expect(() => xyzZooms(stated, { maxZoom: 12 })).toThrow('its zoom range is empty: minZoom 15 is above maxZoom 12')
    expect(() => xyzLayerGrid(template, { minZoom: 0, maxZoom: 31 })).toThrow('its zoom range 0–31 is not one of zooms from 0 to 30')
  })
})
