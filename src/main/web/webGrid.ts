/**
 * The virtual pyramid of a web layer (notes/web-contract.md): a raster of `width` × `height`
 * level-0 pixels in `crs`, placed by `geoTransform`, whose tile (level, col, row) is one image of
 * the server. Pure arithmetic: which URL each tile is, and what size the server's image has
 * (the tile is its top-left part: an edge tile of the virtual pyramid is cut from a full server tile).
 */
import type { GeoTransform } from '../../shared/raster'
import { pyramidLevels, tileRect } from '../../shared/tiles'
import type { LevelSize } from '../../shared/raster'

/** One server request for a tile: the URL, and the size of the image it answers. */
export interface WebTileRequest {
  url: string
  imageWidth: number
  imageHeight: number
}

export interface WebGrid {
  /** The CRS id of the pixels (`EPSG:3857`). */
  crs: string
  geoTransform: GeoTransform
  width: number
  height: number
  tileSize: number
  levels: LevelSize[]
  /**
   * The request for tile (level, col, row) of `levels`; its rect is `tileRect(levels[level], tileSize, col, row)`.
   * Null: the layer states that it has nothing there (outside its box): a transparent tile, no request.
   */
  request(level: number, col: number, row: number): WebTileRequest | null
}

/** Level 0 of a WMS layer stops at this many pixels a side: a world layer at 1:500 would be 2^31. */
export const WMS_MAX_SIDE = 2 ** 28

/** 1:500 at OGC's 0.28 mm pixel: 0.14 m. */
export const WMS_FINEST_SCALE = 500

/**
 * The side of a WMS layer's GetMap tiles: 512 pixels, or the largest power of two (at least 64)
 * within the server's MaxWidth/MaxHeight when it states a smaller limit.
 * Why 512 where OpenLayers' TileWMS and Leaflet ask 256: a WMS server draws every GetMap anew
 * (open its sources, set up the map, resample, encode), and much of that is paid per request, not
 * per pixel. Measured on MapServer 8 over a 12000² JPEG COG: 80–100 ms for 256², 140–200 ms for
 * 512² (four times the pixels), 300–370 ms for 1024². A view then costs about a third of the
 * GetMaps, each one round trip, for 1.3× the pixels drawn (edge tiles reach further past the
 * view); the `web` bench's walk over MapServer took 0.58× OpenLayers' time where 256-pixel tiles
 * took 1.08×. 1024 would cut the requests again but makes each wait for a tile long (a third of a
 * second of server time) and fetches far past the view's edges.
 */
export function wmsTileSize(maxWidth: number | null, maxHeight: number | null): number {
  const limit = Math.min(maxWidth ?? Infinity, maxHeight ?? Infinity)
  let size = WMS_TILE_SIZE
  while (size > WMS_MIN_TILE_SIZE && size > limit) size /= 2
  return size
}

/** The side of a WMS GetMap tile when the server states no smaller limit (see `wmsTileSize`). */
export const WMS_TILE_SIZE = 512
const WMS_MIN_TILE_SIZE = 64

/** What a WMS grid needs: the box in the chosen CRS, the finest pixel size, and the GetMap URL of a box and size. */
export interface WmsGridSpec {
  crs: string
  box: { minX: number; minY: number; maxX: number; maxY: number }
  /** Level-0 pixel size in CRS units. */
  pixelSize: number
  getMapUrl(box: { minX: number; minY: number; maxX: number; maxY: number }, width: number, height: number): string
}

/** A WMS layer's pyramid: each tile a GetMap of its bounds, at its own size (edge tiles smaller). */
export function wmsGrid(spec: WmsGridSpec, tileSize = WMS_TILE_SIZE): WebGrid {
  const { box } = spec
  const spanX = box.maxX - box.minX
  const spanY = box.maxY - box.minY
  if (!(spanX > 0 && spanY > 0)) throw new Error(`its bounding box in ${spec.crs} is empty (${spanX} × ${spanY})`)
  const pixelSize = Math.max(spec.pixelSize, spanX / WMS_MAX_SIDE, spanY / WMS_MAX_SIDE)
  const width = Math.max(1, Math.ceil(spanX / pixelSize - 1e-9))
  const height = Math.max(1, Math.ceil(spanY / pixelSize - 1e-9))
  const levels = pyramidLevels(width, height, tileSize)
  return {
    crs: spec.crs,
    geoTransform: [box.minX, pixelSize, 0, box.maxY, 0, -pixelSize],
    width,
    height,
    tileSize,
    levels,
    request(level, col, row) {
      const rect = tileRect(levels[level]!, tileSize, col, row)
      const size = pixelSize * 2 ** level
      const minX = box.minX + rect.left * size
      const maxY = box.maxY - rect.top * size
      const tileBox = { minX, minY: maxY - rect.height * size, maxX: minX + rect.width * size, maxY }
      return { url: spec.getMapUrl(tileBox, rect.width, rect.height), imageWidth: rect.width, imageHeight: rect.height }
    }
  }
}

/**
 * A pyramid whose levels are a server's own tile matrices, level L's matrix twice the pixel size of
 * level L − 1's and sharing its top-left corner, so that Tessera's tile (col, row) of level L is
 * the server's tile (col, row) of that matrix (XYZ zooms, WMTS matrices).
 */
export interface MatrixGridSpec {
  crs: string
  /** Top-left corner of every matrix, east, north. */
  topLeft: [number, number]
  /** Pixel size of level 0 (the finest matrix). */
  pixelSize: number
  tileSize: number
  /** Server tiles of level 0 across and down. */
  matrixWidth: number
  matrixHeight: number
  /** How many levels the server has (level L exists for L < levelCount). */
  levelCount: number
  /** The URL of a tile, or null when the server has none there. */
  tileUrl(level: number, col: number, row: number): string | null
}

export function matrixGrid(spec: MatrixGridSpec): WebGrid {
  const width = spec.matrixWidth * spec.tileSize
  const height = spec.matrixHeight * spec.tileSize
  const levels = pyramidLevels(width, height, spec.tileSize).slice(0, spec.levelCount)
  return {
    crs: spec.crs,
    geoTransform: [spec.topLeft[0], spec.pixelSize, 0, spec.topLeft[1], 0, -spec.pixelSize],
    width,
    height,
    tileSize: spec.tileSize,
    levels,
    request(level, col, row) {
      const url = spec.tileUrl(level, col, row)
      return url === null ? null : { url, imageWidth: spec.tileSize, imageHeight: spec.tileSize }
    }
  }
}
