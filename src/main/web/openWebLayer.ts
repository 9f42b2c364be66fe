/**
 * Opens one layer of a web map service as a RasterSource (`open-web-layer`): its virtual pyramid
 * (`layerGrids.ts`) described as a georeferenced RGBA raster, each tile read by `WebTileReader`.
 * The source is the one `Raster` class of files, so that tile addresses are checked and errors
 * name the layer as `<SERVICE> layer <name> at <url>`.
 */
import type { CrsInfo, RasterInfo } from '../../shared/raster'
import { DEFAULT_XYZ_ZOOMS, type WebServiceKind, type WebSource } from '../../shared/webLayers'
import { crsFromDefinition } from '../raster/crs'
import type { DecodePool } from '../raster/decodePools'
import { Raster } from '../raster/Raster'
import { normalCrsId } from './axisOrder'
import { fetchServiceDocument } from './capabilities'
import { type LayerChoice, wmsLayerGrid, wmtsLayerGrid } from './layerGrids'
import type { TileCache } from './tileCache'
import type { WebGrid } from './webGrid'
import { WebTileReader } from './webTileReader'
import type { XyzLayerSpec } from './xyzDocument'
import { type XyzZooms, xyzLayerGrid } from './xyzGrid'
import { isXyzTemplate } from './xyzTemplate'

export interface WebLayerRequest extends LayerChoice {
  service: WebServiceKind
  url: string
  layer: string
  attribution?: string
  title?: string
  /** XYZ: the zooms its tiles exist at, over what its document says (default 0–19 for a bare template). */
  minZoom?: number
  maxZoom?: number
}

/** How a person reads the layer's name in errors: "WMS layer ortho at http://…". */
export function webLayerLabel(request: Pick<WebLayerRequest, 'service' | 'layer' | 'url'>): string {
  return request.service === 'xyz' ? `XYZ layer ${request.url}` : `${request.service.toUpperCase()} layer ${request.layer} at ${request.url}`
}

/** Opens the layer; rejects with an Error whose message is the cause (the caller says which layer). */
export async function openWebLayer(request: WebLayerRequest, cache: TileCache, pool: DecodePool, signal?: AbortSignal): Promise<Raster> {
  let grid: WebGrid
  let title = request.title ?? request.layer
  let attribution = request.attribution ?? ''
  let format = 'png'
  if (request.service === 'xyz' && isXyzTemplate(request.url)) {
    grid = xyzLayerGrid(request.url, xyzZooms(DEFAULT_XYZ_ZOOMS, request))
    title = request.title ?? new URL(request.url.replace(/\{[^}]*\}/g, '0')).host
  } else {
    const document = await fetchServiceDocument(request.url, cache, signal)
    if (document.service !== request.service) throw new Error(`it is a ${document.service.toUpperCase()} service, not ${request.service.toUpperCase()}`)
    if (document.service === 'xyz') {
      // A TMS tile map or a TileJSON: its template, zooms and box.
      grid = xyzLayerGrid(document.xyz.template, xyzZooms(document.xyz, request))
      title = request.title ?? document.xyz.title
      attribution ||= document.xyz.attribution ?? ''
      if (document.xyz.format) format = formatName(document.xyz.format)
    } else if (document.service === 'wms') {
      const layer = document.wms.layers.find((l) => l.name === request.layer)
      grid = wmsLayerGrid(document.wms, request.layer, request)
      title = request.title ?? layer?.title ?? request.layer
      attribution ||= layer?.attribution || document.wms.attribution
      format = formatName(request.format ?? document.wms.formats[0] ?? 'image/png')
    } else {
      const layer = document.wmts.layers.find((l) => l.identifier === request.layer)
      grid = wmtsLayerGrid(document.wmts, request.layer, request)
      title = request.title ?? layer?.title ?? request.layer
      attribution ||= document.wmts.attribution
      format = formatName(request.format ?? layer?.formats[0] ?? 'image/png')
    }
  }
  const source: WebSource = { kind: 'web', service: request.service, url: request.url, layer: request.layer, attribution }
  const info = webRasterInfo(grid, title, format, source)
  // An XYZ/TMS pyramid has no file where it has no data: its 404 is an empty tile, not an error.
  // Its tiles and a WMTS's are stored: one withdrawn on its way lands; a WMS renders each GetMap.
  return new Raster(
    info,
    webLayerLabel(request),
    new WebTileReader(grid, cache, pool, { missingIsEmpty: request.service === 'xyz', overzoom: request.service === 'xyz', landing: request.service !== 'wms' })
  )
}

/**
 * The zooms an XYZ layer is opened at: the person's `minZoom`/`maxZoom` where given, else what
 * its document (or the default) says; the document's box is kept.
 */
export function xyzZooms(stated: Pick<XyzLayerSpec, 'minZoom' | 'maxZoom' | 'bbox84'>, request: Pick<WebLayerRequest, 'minZoom' | 'maxZoom'>): XyzZooms {
  const minZoom = request.minZoom ?? stated.minZoom
  const maxZoom = request.maxZoom ?? stated.maxZoom
  if (minZoom > maxZoom) throw new Error(`its zoom range is empty: minZoom ${minZoom} is above maxZoom ${maxZoom}`)
  return { minZoom, maxZoom, ...(stated.bbox84 ? { bbox84: stated.bbox84 } : {}) }
}

/** 'png' of 'image/png; mode=8bit'. */
function formatName(mime: string): string {
  return mime.split(';')[0]!.trim().replace(/^image\//i, '').toLowerCase() || 'png'
}

/** The CRS of a grid: EPSG codes described as a file's are (CRS:84 is EPSG:4326 east-first, as the grid holds it). */
export function gridCrs(crs: string): CrsInfo {
  const id = crs.toUpperCase() === 'CRS:84' ? 'EPSG:4326' : normalCrsId(crs)
  return crsFromDefinition(id, 'service')
}

/** A web layer's description: an RGBA picture of its virtual pyramid, placed by its grid. */
export function webRasterInfo(grid: WebGrid, name: string, format: string, source: WebSource): RasterInfo {
  const crs = gridCrs(grid.crs)
  return {
    name,
    format,
    fileSize: 0,
    width: grid.width,
    height: grid.height,
    tileSize: grid.tileSize,
    levels: grid.levels,
    bands: 4,
    sampleType: 'uint8',
    hasAlpha: true,
    bandInfo: (['red', 'green', 'blue', 'alpha'] as const).map((colorInterpretation) => ({ colorInterpretation, statistics: null })),
    noData: null,
    hasMask: false,
    displayBands: [0, 1, 2],
    tileKind: 'rgba8',
    tileMask: false,
    warnings: [],
    tileChannels: 4,
    tileSampleType: 'uint8',
    statistics: null,
    georeference: { geoTransform: grid.geoTransform, rasterType: 'area', epsg: crs.epsg, crs, rotated: false },
    strategy: 'tiled',
    pyramidReady: true,
    source
  }
}
