/**
 * A tile pyramid written by GDAL's own `gdal2tiles.py` for the tests of XYZ, TMS and WMTS layers
 * (issue 25): a picture of 8 × 8 coloured blocks in EPSG:3857 near Brussels, tiled at zooms
 * `minZoom`…`maxZoom` with nearest-neighbour resampling (a block's centre keeps its exact colour)
 * in the XYZ layout (`xyz/`) and the TMS one (`tms/`, with the `tilemapresource.xml` gdal2tiles
 * writes), plus a WMTS capabilities document (`wmts/WMTSCapabilities.xml`, GoogleMapsCompatible,
 * REST template relative to it) and a TileJSON document (`xyz/tiles.json`, zooms and bounds) for the
 * XYZ tiles. Serve `dir` with `nginx.ts`. No test-runner imports.
 */
import { execFile } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { GeoTransform } from '../../src/shared/raster'
import { type Grid, gdalRaster } from './gdal'

const run = promisify(execFile)
export const GDAL2TILES = '/usr/bin/gdal2tiles.py'

export interface XyzPyramid {
  dir: string
  minZoom: number
  maxZoom: number
  /** The source picture's georeference (EPSG:3857) and size. */
  transform: GeoTransform
  width: number
  height: number
  /** Blocks across and down, each `blockPixels` source pixels. */
  blocks: number
  blockPixels: number
  /** The colour of block (i, j), i across. */
  colourOf(i: number, j: number): [number, number, number]
  /** The EPSG:3857 point at the centre of block (i, j). */
  centreOf(i: number, j: number): [number, number]
}

/** The colour of block (i, j): distinct in every channel step. */
function blockColour(i: number, j: number): [number, number, number] {
  return [20 + i * 30, 20 + j * 30, 240 - ((i * 7 + j * 13) % 8) * 25]
}

/** Writes the picture and runs gdal2tiles twice (XYZ, TMS); writes the WMTS document. */
export async function writeXyzPyramid(dir: string, minZoom = 15, maxZoom = 17): Promise<XyzPyramid> {
  if (!existsSync(GDAL2TILES)) throw new Error(`These tests need ${GDAL2TILES} (Debian's gdal-bin) and GDAL's Python bindings (python3-gdal); .ci/run installs them.`)
  chmodSync(dir, 0o755)
  const blocks = 8
  const blockPixels = 64
  const width = blocks * blockPixels
  const height = blocks * blockPixels
  // 1.5 m pixels from a corner in Brussels (EPSG:3857).
  const transform: GeoTransform = [485000, 1.5, 0, 6595000, 0, -1.5]
  const data = new Uint8Array(width * height * 3)
  const plane = width * height
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const colour = blockColour(Math.floor(x / blockPixels), Math.floor(y / blockPixels))
      for (let b = 0; b < 3; b++) data[b * plane + y * width + x] = colour[b]!
    }
  }
  const grid: Grid = { width, height, bands: 3, type: 'uint8', data }
  const source = await gdalRaster(dir, 'blocks', grid, [], { geoTransform: transform, srs: 'EPSG:3857' })
  const zooms = `${minZoom}-${maxZoom}`
  for (const [layout, args] of [['xyz', ['--xyz']], ['tms', []]] as const) {
    await run('/usr/bin/python3', [GDAL2TILES, ...args, '-z', zooms, '-r', 'near', '-w', 'none', '-q', '--processes=1', source, join(dir, layout)], { timeout: 120_000 })
  }
  mkdirSync(join(dir, 'wmts'), { recursive: true })
  writeFileSync(join(dir, 'wmts', 'WMTSCapabilities.xml'), wmtsDocument(maxZoom))
  writeFileSync(join(dir, 'xyz', 'tiles.json'), tileJson(transform, width, height, minZoom, maxZoom))
  return {
    dir,
    minZoom,
    maxZoom,
    transform,
    width,
    height,
    blocks,
    blockPixels,
    colourOf: blockColour,
    centreOf: (i, j) => [transform[0] + (i + 0.5) * blockPixels * transform[1], transform[3] + (j + 0.5) * blockPixels * transform[5]]
  }
}

/** A TileJSON 3.0.0 document for the XYZ tiles: a template relative to it, the zooms written, the picture's box in WGS 84. */
function tileJson(transform: GeoTransform, width: number, height: number, minZoom: number, maxZoom: number): string {
  const half = Math.PI * 6378137
  const lon = (x: number): number => (x / half) * 180
  const lat = (y: number): number => (Math.atan(Math.sinh((y / half) * Math.PI)) * 180) / Math.PI
  const bounds = [lon(transform[0]), lat(transform[3] + height * transform[5]), lon(transform[0] + width * transform[1]), lat(transform[3])]
  return JSON.stringify({ tilejson: '3.0.0', name: 'Blocks', tiles: ['{z}/{x}/{y}.png'], minzoom: minZoom, maxzoom: maxZoom, bounds, attribution: '&copy; <b>the Tessera tests</b>' })
}

/** A WMTS document for the XYZ tiles: GoogleMapsCompatible matrices 0…maxZoom, a REST template relative to the document. */
function wmtsDocument(maxZoom: number): string {
  const half = Math.PI * 6378137
  const matrices = Array.from({ length: maxZoom + 1 }, (_v, z) => {
    const scale = (2 * half) / 256 / 2 ** z / 0.00028
    return `      <TileMatrix><ows:Identifier>${z}</ows:Identifier><ScaleDenominator>${scale}</ScaleDenominator><TopLeftCorner>${-half} ${half}</TopLeftCorner><TileWidth>256</TileWidth><TileHeight>256</TileHeight><MatrixWidth>${2 ** z}</MatrixWidth><MatrixHeight>${2 ** z}</MatrixHeight></TileMatrix>`
  }).join('\n')
  return `<?xml version="1.0" encoding="UTF-8"?>
<Capabilities xmlns="http://www.opengis.net/wmts/1.0" xmlns:ows="http://www.opengis.net/ows/1.1" version="1.0.0">
  <ows:ServiceIdentification><ows:Title>gdal2tiles pyramid</ows:Title></ows:ServiceIdentification>
  <ows:ServiceProvider><ows:ProviderName>Blocks (c) the Tessera tests</ows:ProviderName></ows:ServiceProvider>
  <Contents>
    <Layer>
      <ows:Title>Blocks</ows:Title>
      <ows:Identifier>blocks</ows:Identifier>
      <Style isDefault="true"><ows:Identifier>default</ows:Identifier></Style>
      <Format>image/png</Format>
      <TileMatrixSetLink><TileMatrixSet>GoogleMapsCompatible</TileMatrixSet></TileMatrixSetLink>
      <ResourceURL format="image/png" resourceType="tile" template="../xyz/{TileMatrix}/{TileCol}/{TileRow}.png"/>
    </Layer>
    <TileMatrixSet>
      <ows:Identifier>GoogleMapsCompatible</ows:Identifier>
      <ows:SupportedCRS>urn:ogc:def:crs:EPSG::3857</ows:SupportedCRS>
${matrices}
    </TileMatrixSet>
  </Contents>
</Capabilities>
`
}
