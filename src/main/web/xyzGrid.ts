/**
 * The virtual pyramid of an XYZ/TMS layer: Web Mercator, 256 px, one level per zoom the tiles
 * exist at. Level 0 is `maxZoom`, so no finer tile is ever asked for (the renderer magnifies level
 * 0, as for any raster); the coarsest level is `minZoom`. When the layer's box is known, the
 * pyramid covers only the tiles of `minZoom` that meet it: a pyramid of a city from zoom 15 is a
 * few tiles at its coarsest, not 2^15 across the world; and a finer tile that does not meet the
 * box is transparent without a request (gdal2tiles writes no tile there: it would be a 404).
 */
import { DEFAULT_XYZ_ZOOMS, MAX_WEB_ZOOM } from '../../shared/webLayers'
import { type WebGrid, matrixGrid } from './webGrid'
import { MERCATOR_MAX_LATITUDE } from './xyzDocument'
import { WEB_MERCATOR_HALF, parseXyzTemplate, xyzTileUrl } from './xyzTemplate'

/** The zooms an XYZ layer has and where its tiles are (`bbox84` absent: the whole world). */
export interface XyzZooms {
  minZoom: number
  maxZoom: number
  bbox84?: readonly [number, number, number, number]
}

/** The tiles of zoom `z` meeting a WGS 84 box: columns `col0…col1`, rows `row0…row1` from the north. */
export function tileRangeOf(bbox84: readonly [number, number, number, number], z: number): { col0: number; col1: number; row0: number; row1: number } {
  const n = 2 ** z
  const [west, south, east, north] = bbox84
  const x = (lon: number): number => ((lon + 180) / 360) * n
  const y = (lat: number): number => {
    const phi = (Math.max(-MERCATOR_MAX_LATITUDE, Math.min(MERCATOR_MAX_LATITUDE, lat)) * Math.PI) / 180
    return ((1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2) * n
  }
  const clamp = (v: number): number => Math.max(0, Math.min(n - 1, v))
  const col0 = clamp(Math.floor(x(west)))
  const row0 = clamp(Math.floor(y(north)))
  // An east or south edge on a tile boundary does not take the next tile.
  return { col0, col1: Math.max(col0, clamp(Math.ceil(x(east)) - 1)), row0, row1: Math.max(row0, clamp(Math.ceil(y(south)) - 1)) }
}

/** The grid of an XYZ/TMS template (`xyzTemplate.ts`) over `zooms` (default 0–19, the world). */
export function xyzLayerGrid(templateUrl: string, zooms: XyzZooms = DEFAULT_XYZ_ZOOMS): WebGrid {
  const { minZoom, maxZoom } = zooms
  if (!(Number.isInteger(minZoom) && Number.isInteger(maxZoom) && minZoom >= 0 && maxZoom <= MAX_WEB_ZOOM && minZoom <= maxZoom)) {
    throw new Error(`its zoom range ${minZoom}–${maxZoom} is not one of zooms from 0 to ${MAX_WEB_ZOOM}`)
  }
  const template = parseXyzTemplate(templateUrl)
  const tileSize = 256
  const range = zooms.bbox84 ? tileRangeOf(zooms.bbox84, minZoom) : { col0: 0, col1: 2 ** minZoom - 1, row0: 0, row1: 2 ** minZoom - 1 }
  const spanAtMin = (2 * WEB_MERCATOR_HALF) / 2 ** minZoom
  const finer = 2 ** (maxZoom - minZoom)
  return matrixGrid({
    crs: 'EPSG:3857',
    topLeft: [-WEB_MERCATOR_HALF + range.col0 * spanAtMin, WEB_MERCATOR_HALF - range.row0 * spanAtMin],
    pixelSize: (2 * WEB_MERCATOR_HALF) / (tileSize * 2 ** maxZoom),
    tileSize,
    matrixWidth: (range.col1 - range.col0 + 1) * finer,
    matrixHeight: (range.row1 - range.row0 + 1) * finer,
    levelCount: maxZoom - minZoom + 1,
    tileUrl: (level, col, row) => {
      const z = maxZoom - level
      const scale = 2 ** (z - minZoom)
      const x = col + range.col0 * scale
      const y = row + range.row0 * scale
      if (zooms.bbox84) {
        const own = tileRangeOf(zooms.bbox84, z)
        if (x < own.col0 || x > own.col1 || y < own.row0 || y > own.row1) return null
      }
      return xyzTileUrl(template, z, x, y)
    }
  })
}
