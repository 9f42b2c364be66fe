import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { northingFirst, epsgCodeOf } from '../../../src/main/web/axisOrder'
import { capabilitiesUrl } from '../../../src/main/web/capabilities'
import { matrixLevels, pickWmsCrs, wmsLayerGrid, wmtsLayerGrid } from '../../../src/main/web/layerGrids'
import { serviceExceptionText } from '../../../src/main/web/serviceException'
import { wmsTileSize } from '../../../src/main/web/webGrid'
import { readWmsCapabilities } from '../../../src/main/web/wmsCapabilities'
import { pixelSizeOf, readWmtsCapabilities } from '../../../src/main/web/wmtsCapabilities'
import { parseXml } from '../../../src/main/web/xml'

const fixtures = join(__dirname, '../../fixtures/web')
const wms = (version: '1.3.0' | '1.1.1') => {
  const { name, root } = parseXml(readFileSync(join(fixtures, `mapserver-wms-${version}.xml`), 'utf8'))
  return readWmsCapabilities(name, root, 'http://127.0.0.1:8080/wms?SERVICE=WMS&REQUEST=GetCapabilities')
}
const wmts = () => readWmtsCapabilities(parseXml(readFileSync(join(fixtures, 'wmts-capabilities.xml'), 'utf8')).root, 'http://127.0.0.1:8080/wmts/WMTSCapabilities.xml')

describe('WMS capabilities (MapServer 8 output)', () => {
  it.each(['1.3.0', '1.1.1'] as const)('reads %s: version, title, GetMap URL and formats', (version) => {
    const caps = wms(version)
    expect(caps.version).toBe(version)
    expect(caps.title).toBe('Tessera test WMS')
    expect(caps.getMapUrl).toBe('http://127.0.0.1/wms?')
    expect(caps.formats).toContain('image/png')
    expect(caps.formats).toContain('image/jpeg')
    // MaxWidth is 1.3.0's; 1.1.1 has no such element.
    expect(caps.maxWidth).toBe(version === '1.3.0' ? 4096 : null)
  })

  it.each(['1.3.0', '1.1.1'] as const)('lists the named layers of %s with the CRSs they inherit and add', (version) => {
    const caps = wms(version)
    expect(caps.layers.map((l) => l.name)).toEqual(['tessera', 'ortho', 'dem'])
    const ortho = caps.layers.find((l) => l.name === 'ortho')!
    expect(ortho.title).toBe('Orthophoto')
    expect(ortho.crs).toEqual(['EPSG:31370', 'EPSG:3857', 'EPSG:4326'])
    const dem = caps.layers.find((l) => l.name === 'dem')!
    expect(dem.crs).toEqual(['EPSG:31370', 'EPSG:3857', 'EPSG:4326', 'EPSG:32631'])
  })

  it.each(['1.3.0', '1.1.1'] as const)('reads the geographic box (EX_GeographicBoundingBox / LatLonBoundingBox) and the CRS boxes of %s', (version) => {
    const dem = wms(version).layers.find((l) => l.name === 'dem')!
    expect(dem.bbox84).toEqual([4.424518, 50.979049, 4.45342, 50.992885])
    expect(dem.boxes).toEqual([{ crs: 'EPSG:32631', minX: 600000, minY: 5648500, maxX: 602000, maxY: 5650000 }])
  })

  it('reads the time dimension and the attribution, a child\'s own replacing its parent\'s', () => {
    const caps = wms('1.3.0')
    const dem = caps.layers.find((l) => l.name === 'dem')!
    expect(dem.time).toEqual({ default: '2020-06-01', values: '2020-01-01/2020-12-01/P1M' })
    expect(dem.attribution).toBe('Test data (c) Tessera')
    expect(caps.layers.find((l) => l.name === 'ortho')!.attribution).toBe('Orthophoto (c) a test survey')
    expect(caps.attribution).toBe('Test data (c) Tessera')
  })

  it('reads styles, inherited from the parent layer and added to', () => {
    const text = `<WMS_Capabilities version="1.3.0"><Capability><Request><GetMap><Format>image/png</Format></GetMap></Request>
      <Layer><Title>root</Title><CRS>EPSG:4326</CRS><Style><Name>default</Name><Title>Default</Title></Style>
        <Layer><Name>a</Name><Title>A</Title><Style><Name>shaded</Name><Title>Shaded relief</Title></Style>
          <BoundingBox CRS="EPSG:4326" minx="50" miny="4" maxx="51" maxy="5"/></Layer></Layer></Capability></WMS_Capabilities>`
    const { name, root } = parseXml(text)
    const layer = readWmsCapabilities(name, root, 'http://example.org/wms').layers[0]!
    expect(layer.styles).toEqual([{ name: 'default', title: 'Default' }, { name: 'shaded', title: 'Shaded relief' }])
    // 1.3.0 writes EPSG:4326 boxes latitude first: held east, north.
    expect(layer.boxes[0]).toEqual({ crs: 'EPSG:4326', minX: 4, minY: 50, maxX: 5, maxY: 51 })
  })
})

describe('WMS GetMap', () => {
  it('asks in the view\'s CRS when offered, else EPSG:3857, then EPSG:4326', () => {
    const ortho = wms('1.3.0').layers.find((l) => l.name === 'ortho')!
    expect(pickWmsCrs(ortho, { viewCrs: 'EPSG:31370' })).toBe('EPSG:31370')
    expect(pickWmsCrs(ortho, { viewCrs: 'EPSG:2056' })).toBe('EPSG:3857')
    expect(pickWmsCrs({ ...ortho, crs: ['EPSG:4326', 'EPSG:31370'] }, {})).toBe('EPSG:4326')
  })

  it('writes 1.3.0 EPSG:4326 boxes latitude first and 1.1.1 longitude first', () => {
    const bboxOf = (version: '1.3.0' | '1.1.1') => {
      const grid = wmsLayerGrid(wms(version), 'ortho', { crs: 'EPSG:4326' })
      const url = new URL(grid.request(grid.levels.length - 1, 0, 0)!.url)
      return { bbox: url.searchParams.get('BBOX')!.split(',').map(Number), url }
    }
    const v13 = bboxOf('1.3.0')
    const v11 = bboxOf('1.1.1')
    expect(v13.url.searchParams.get('CRS')).toBe('EPSG:4326')
    expect(v11.url.searchParams.get('SRS')).toBe('EPSG:4326')
    expect(v13.bbox).toEqual([v11.bbox[1], v11.bbox[0], v11.bbox[3], v11.bbox[2]])
    // The layer's EPSG:31370 box projected (GDAL's gdaltransform: 150000, 170000 → 4.368752°E).
    expect(v11.bbox[0]).toBeCloseTo(4.368752, 5)
  })

  it("asks GetMaps no larger than the server's MaxWidth and MaxHeight", () => {
    expect(wmsTileSize(null, null)).toBe(512)
    expect(wmsTileSize(4096, 4096)).toBe(512)
    expect(wmsTileSize(512, null)).toBe(512)
    expect(wmsTileSize(null, 400)).toBe(256)
    expect(wmsTileSize(300, 2048)).toBe(256)
    expect(wmsTileSize(100, 100)).toBe(64)
    expect(wmsTileSize(10, 10)).toBe(64)
    const grid = wmsLayerGrid({ ...wms('1.3.0'), maxWidth: 256, maxHeight: 256 }, 'ortho', { viewCrs: 'EPSG:31370' })
    expect(grid.tileSize).toBe(256)
    expect(new URL(grid.request(0, 0, 0)!.url).searchParams.get('WIDTH')).toBe('256')
  })

  it.each(['1.3.0', '1.1.1'] as const)('covers the data of a layer stated in another CRS (%s): its own CRS box projected, not the WGS 84 box MapServer shifts ~100 m', (version) => {
    // MapServer states the orthophoto's box in EPSG:31370 (150000 169488 150512 170000) and a WGS 84
    // box ~100 m west and north of it; the pyramid asked in EPSG:3857 must hold the whole photo.
    // Its corners in EPSG:3857 by GDAL's gdaltransform: (486327.264, 6593112.728), (487136.368, 6592301.355).
    const grid = wmsLayerGrid(wms(version), 'ortho', { viewCrs: 'EPSG:3857' })
    expect(grid.crs).toBe('EPSG:3857')
    const [left, pixel, , top] = grid.geoTransform
    const right = left + grid.width * pixel
    const bottom = top - grid.height * pixel
    expect(left).toBeCloseTo(486327.264, 0)
    expect(top).toBeCloseTo(6593112.728, 0)
    expect(right).toBeGreaterThanOrEqual(487136.368 - 0.5)
    expect(right - 487136.368).toBeLessThan(2 * pixel + 1)
    expect(bottom).toBeLessThanOrEqual(6592301.355 + 0.5)
    expect(6592301.355 - bottom).toBeLessThan(2 * pixel + 1)
  })

  it('tiles the layer box at 1:500 in 512-pixel GetMaps, edge tiles asked at their own size', () => {
    const grid = wmsLayerGrid(wms('1.3.0'), 'ortho', { viewCrs: 'EPSG:31370' })
    expect(grid.crs).toBe('EPSG:31370')
    expect(grid.geoTransform[0]).toBe(150000)
    expect(grid.geoTransform[3]).toBe(170000)
    expect(grid.geoTransform[1]).toBeCloseTo(0.14, 12)
    expect(grid.width).toBe(Math.ceil(512 / 0.14))
    expect(grid.tileSize).toBe(512)
    const inner = new URL(grid.request(0, 0, 0)!.url)
    expect([inner.searchParams.get('WIDTH'), inner.searchParams.get('HEIGHT')]).toEqual(['512', '512'])
    const [minX, , maxX] = inner.searchParams.get('BBOX')!.split(',').map(Number) as [number, number, number, number]
    expect(maxX - minX).toBeCloseTo(512 * 0.14, 9)
    const lastCol = Math.ceil(grid.width / 512) - 1
    const edge = new URL(grid.request(0, lastCol, 0)!.url)
    expect(Number(edge.searchParams.get('WIDTH'))).toBe(grid.width - lastCol * 512)
    expect(edge.searchParams.get('LAYERS')).toBe('ortho')
    expect(edge.searchParams.get('FORMAT')).toBe('image/png')
  })

  it('refuses a layer, style or CRS the service does not offer, naming what it offers', () => {
    expect(() => wmsLayerGrid(wms('1.3.0'), 'roads', {})).toThrow('the service has no layer named roads (it has tessera, ortho, dem)')
    expect(() => wmsLayerGrid(wms('1.3.0'), 'ortho', { style: 'night' })).toThrow('layer ortho has no style night')
    expect(() => wmsLayerGrid(wms('1.3.0'), 'ortho', { crs: 'EPSG:2056' })).toThrow('layer ortho is not offered in EPSG:2056')
  })
})

describe('WMTS capabilities', () => {
  it('reads layers, styles, formats, the WGS 84 box, matrix set links and REST templates resolved against the document', () => {
    const caps = wmts()
    expect(caps.title).toBe('Tessera test tiles')
    expect(caps.attribution).toBe('Tiles (c) the Tessera tests')
    expect(caps.kvpUrl).toBe('http://127.0.0.1:8080/gwc/service/wmts?')
    const layer = caps.layers[0]!
    expect(layer.identifier).toBe('ortho')
    expect(layer.styles.map((s) => [s.name, s.isDefault])).toEqual([['natural', true], ['infrared', false]])
    expect(layer.formats).toEqual(['image/png', 'image/jpeg'])
    expect(layer.bbox84).toEqual([4.36, 50.83, 4.38, 50.85])
    expect(layer.tileMatrixSets).toEqual(['GoogleMapsCompatible', 'EPSG:4326'])
    expect(layer.resourceUrls).toEqual([{ format: 'image/png', template: 'http://127.0.0.1:8080/xyz/{TileMatrix}/{TileCol}/{TileRow}.png' }])
  })

  it('reads the matrices, a latitude-first TopLeftCorner held east, north', () => {
    const sets = wmts().matrixSets
    const mercator = sets.get('GoogleMapsCompatible')!
    expect(mercator.crs).toBe('EPSG:3857')
    expect(mercator.matrices).toHaveLength(4)
    expect(pixelSizeOf(mercator.matrices[0]!, 'EPSG:3857')).toBeCloseTo(156543.0339, 3)
    const geographic = sets.get('EPSG:4326')!
    expect(geographic.matrices[0]!.topLeft).toEqual([-180, 90])
    expect(pixelSizeOf(geographic.matrices[0]!, 'EPSG:4326')).toBeCloseTo(180 / 256, 9)
  })

  it('makes the finest matrix level 0 and each coarser halving a level; REST tiles by their template, KVP for a format without one', () => {
    const caps = wmts()
    const set = caps.matrixSets.get('GoogleMapsCompatible')!
    expect(matrixLevels(set.matrices, set.crs).map((m) => m.identifier)).toEqual(['3', '2', '1', '0'])
    const grid = wmtsLayerGrid(caps, 'ortho', {})
    expect(grid.width).toBe(8 * 256)
    expect(grid.request(1, 2, 3)!.url).toBe('http://127.0.0.1:8080/xyz/2/2/3.png')
    const kvp = new URL(wmtsLayerGrid(caps, 'ortho', { format: 'image/jpeg', style: 'infrared' }).request(0, 5, 6)!.url)
    expect(Object.fromEntries(kvp.searchParams)).toMatchObject({ SERVICE: 'WMTS', REQUEST: 'GetTile', LAYER: 'ortho', STYLE: 'infrared', FORMAT: 'image/jpeg', TILEMATRIXSET: 'GoogleMapsCompatible', TILEMATRIX: '3', TILECOL: '5', TILEROW: '6' })
  })

  it('picks the set in the view\'s CRS when the layer has one', () => {
    expect(wmtsLayerGrid(wmts(), 'ortho', { viewCrs: 'EPSG:4326' }).crs).toBe('EPSG:4326')
    expect(wmtsLayerGrid(wmts(), 'ortho', { viewCrs: 'EPSG:31370' }).crs).toBe('EPSG:3857')
  })
})

describe('service exceptions and URLs', () => {
  it('reads the words of a WMS ServiceExceptionReport and of an OWS ExceptionReport', () => {
    expect(serviceExceptionText('<?xml version="1.0"?><ServiceExceptionReport version="1.3.0"><ServiceException code="LayerNotDefined">\n msWMSLoadGetMapParams(): Invalid layer(s) given.\n</ServiceException></ServiceExceptionReport>')).toBe(
      'LayerNotDefined: msWMSLoadGetMapParams(): Invalid layer(s) given.'
    )
    expect(serviceExceptionText('<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1"><ows:Exception exceptionCode="TileOutOfRange"><ows:ExceptionText>TILEROW is out of range</ows:ExceptionText></ows:Exception></ows:ExceptionReport>')).toBe(
      'TileOutOfRange: TILEROW is out of range'
    )
    expect(serviceExceptionText('<html><body>not found</body></html>')).toBeNull()
    expect(serviceExceptionText('\x89PNG')).toBeNull()
  })

  it('makes a GetCapabilities request of a bare service URL, and keeps one that already asks', () => {
    expect(capabilitiesUrl('http://h/wms')).toBe('http://h/wms?SERVICE=WMS&REQUEST=GetCapabilities')
    expect(capabilitiesUrl('http://h/ows?service=WMTS')).toBe('http://h/ows?service=WMTS&REQUEST=GetCapabilities')
    expect(capabilitiesUrl('http://h/wms?request=GetCapabilities&service=WMS&version=1.1.1')).toBe('http://h/wms?request=GetCapabilities&service=WMS&version=1.1.1')
    expect(capabilitiesUrl('http://h/1.0.0/WMTSCapabilities.xml')).toBe('http://h/1.0.0/WMTSCapabilities.xml')
    expect(() => capabilitiesUrl('file:///etc/passwd')).toThrow('only http and https')
  })

  it('knows which CRSs put northing first, from the code in any of its spellings', () => {
    expect(northingFirst('EPSG:4326')).toBe(true)
    expect(northingFirst('urn:ogc:def:crs:EPSG::4258')).toBe(true)
    expect(northingFirst('EPSG:3035')).toBe(true)
    expect(northingFirst('CRS:84')).toBe(false)
    expect(northingFirst('EPSG:3857')).toBe(false)
    expect(northingFirst('EPSG:31370')).toBe(false)
    expect(epsgCodeOf('http://www.opengis.net/def/crs/EPSG/0/3857')).toBe(3857)
  })
})
