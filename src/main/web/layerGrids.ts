/**
 * From a service's capabilities and what the person picked to the layer's virtual pyramid
 * (`WebGrid`): the CRS asked for, the format, the style, and each tile's URL.
 * - WMS: the view's CRS when the layer offers it, else the one picked, else EPSG:3857, then
 *   EPSG:4326 (or CRS:84), else the first offered; level 0 fine enough for 1:500 (or the layer's
 *   MinScaleDenominator); 512-pixel GetMaps (`wmsTileSize`) in the version's axis order.
 * - WMTS: the set picked, else one in the view's CRS, else the first the layer links; matrices
 *   whose pixel size doubles from the finest one and that share its top-left corner are the levels.
 * - XYZ: `xyzGrid.ts`.
 */
import proj4 from 'proj4'
import { epsgCodeOf, isGeographic, normalCrsId, northingFirst } from './axisOrder'
import { epsgProjString } from '../raster/crs/epsgDefinitions'
import { type MatrixGridSpec, type WebGrid, WMS_FINEST_SCALE, matrixGrid, wmsGrid, wmsTileSize } from './webGrid'
import type { WmsCapabilities, WmsLayer } from './wmsCapabilities'
import { type TileMatrix, type WmtsCapabilities, type WmtsLayer, metresPerUnit, pixelSizeOf } from './wmtsCapabilities'

/** What the person picked for a layer (the `open-web-layer` call's options). */
export interface LayerChoice {
  style?: string
  format?: string
  crs?: string
  tileMatrixSet?: string
  viewCrs?: string
  time?: string
}

/** Image formats Tessera decodes (sharp), in order of preference when the person picks none. */
const DECODED_FORMATS = ['image/png', 'image/jpeg', 'image/webp', 'image/png8', 'image/gif', 'image/tiff']

/** The format to ask for: the one picked (when offered), else the first Tessera prefers among those offered. */
export function pickFormat(offered: readonly string[], picked: string | undefined): string {
  if (picked) {
    if (offered.length > 0 && !offered.includes(picked)) throw new Error(`it does not offer the format ${picked} (it offers ${offered.join(', ')})`)
    return picked
  }
  const base = (format: string): string => format.split(';')[0]!.trim().toLowerCase()
  for (const preferred of DECODED_FORMATS) {
    const found = offered.find((format) => base(format) === preferred)
    if (found) return found
  }
  const image = offered.find((format) => base(format).startsWith('image/'))
  if (!image) throw new Error(`it offers no image format Tessera decodes (${offered.join(', ') || 'none'})`)
  return image
}

/** The CRS a WMS layer is asked in (as the server spells it). */
export function pickWmsCrs(layer: WmsLayer, choice: LayerChoice): string {
  const offered = layer.crs
  const find = (id: string | undefined): string | undefined => (id ? offered.find((crs) => normalCrsId(crs) === normalCrsId(id)) : undefined)
  if (choice.crs && !find(choice.crs)) throw new Error(`layer ${layer.name} is not offered in ${choice.crs} (it is in ${offered.join(', ')})`)
  const picked = find(choice.viewCrs) ?? find(choice.crs) ?? find('EPSG:3857') ?? find('EPSG:4326') ?? offered.find((crs) => crs.toUpperCase() === 'CRS:84') ?? offered[0]
  if (!picked) throw new Error(`layer ${layer.name} names no CRS`)
  return picked
}

/**
 * The layer's box in `crs`: its own BoundingBox there, else a BoundingBox it states in another CRS
 * Tessera knows (its data's own CRS, as MapServer writes it) projected, else its WGS 84 box
 * projected (edges densified). The WGS 84 box comes last because servers may derive it through a
 * ballpark datum shift: MapServer's for an EPSG:31370 layer lies ~100 m west and north of the
 * data, and a pyramid over it cut the data's east and south edges off.
 */
export function wmsLayerBox(layer: WmsLayer, crs: string): { minX: number; minY: number; maxX: number; maxY: number } {
  const own = layer.boxes.find((box) => normalCrsId(box.crs) === normalCrsId(crs))
  if (own) return own
  for (const box of layer.boxes) {
    const epsg = epsgCodeOf(box.crs)
    if (epsg === null || !epsgProjString(epsg)) continue
    return projectBox([box.minX, box.minY, box.maxX, box.maxY], definitionOf(box.crs), crs)
  }
  if (!layer.bbox84) throw new Error(`layer ${layer.name} states no bounding box in ${crs} nor in WGS 84`)
  return projectBox84(layer.bbox84, crs)
}

/** A WGS 84 box projected into `crs` (Web Mercator clamped at ±85.0511°): the box of 21 points per edge. */
export function projectBox84(bbox84: readonly [number, number, number, number], crs: string): { minX: number; minY: number; maxX: number; maxY: number } {
  const [west, south0, east, north0] = bbox84
  const mercator = normalCrsId(crs) === 'EPSG:3857'
  const south = mercator ? Math.max(south0, -85.0511287798) : south0
  const north = mercator ? Math.min(north0, 85.0511287798) : north0
  if (isGeographic(crs)) return { minX: west, minY: south, maxX: east, maxY: north }
  return projectBox([west, south, east, north], '+proj=longlat +datum=WGS84 +no_defs', crs)
}

/** A box [minX, minY, maxX, maxY] in the CRS of PROJ definition `from`, projected into `crs`: the box of 21 points per edge. */
function projectBox(box: readonly [number, number, number, number], from: string, crs: string): { minX: number; minY: number; maxX: number; maxY: number } {
  const [west, south, east, north] = box
  const transform = proj4(from, definitionOf(crs))
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (let i = 0; i <= 20; i++) {
    const t = i / 20
    for (const point of [
      [west + (east - west) * t, south],
      [west + (east - west) * t, north],
      [west, south + (north - south) * t],
      [east, south + (north - south) * t]
    ] as const) {
      const [x, y] = transform.forward([...point])
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue
      minX = Math.min(minX, x)
      minY = Math.min(minY, y)
      maxX = Math.max(maxX, x)
      maxY = Math.max(maxY, y)
    }
  }
  if (!(maxX > minX && maxY > minY)) throw new Error(`its box does not project into ${crs}`)
  return { minX, minY, maxX, maxY }
}

function definitionOf(crs: string): string {
  const epsg = epsgCodeOf(crs)
  const definition = epsg === null ? null : epsgProjString(epsg)
  if (!definition) throw new Error(`Tessera does not know the CRS ${crs}`)
  return definition
}

/** The grid of a WMS layer, asked with `capabilities.version`'s GetMap. */
export function wmsLayerGrid(capabilities: WmsCapabilities, layerName: string, choice: LayerChoice): WebGrid {
  const layer = capabilities.layers.find((l) => l.name === layerName)
  if (!layer) throw new Error(`the service has no layer named ${layerName} (it has ${capabilities.layers.map((l) => l.name).join(', ') || 'none'})`)
  if (choice.style && !layer.styles.some((style) => style.name === choice.style)) {
    throw new Error(`layer ${layerName} has no style ${choice.style} (it has ${layer.styles.map((s) => s.name).join(', ') || 'only its default'})`)
  }
  const crs = pickWmsCrs(layer, choice)
  const format = pickFormat(capabilities.formats, choice.format)
  const box = wmsLayerBox(layer, crs)
  // Fine enough to zoom to 1:500, or to the layer's own finest scale when it states one.
  const finestScale = Math.max(WMS_FINEST_SCALE, layer.minScaleDenominator ?? 0)
  const pixelSize = (finestScale * 0.00028) / metresPerUnit(crs)
  const swap = capabilities.version === '1.3.0' && northingFirst(crs)
  return wmsGrid({
    crs: normalCrsId(crs),
    box,
    pixelSize,
    getMapUrl(tile, width, height) {
      const url = new URL(capabilities.getMapUrl)
      const params: [string, string][] = [
        ['SERVICE', 'WMS'],
        ['VERSION', capabilities.version],
        ['REQUEST', 'GetMap'],
        ['LAYERS', layer.name],
        ['STYLES', choice.style ?? ''],
        [capabilities.version === '1.3.0' ? 'CRS' : 'SRS', crs],
        ['BBOX', (swap ? [tile.minY, tile.minX, tile.maxY, tile.maxX] : [tile.minX, tile.minY, tile.maxX, tile.maxY]).map(String).join(',')],
        ['WIDTH', String(width)],
        ['HEIGHT', String(height)],
        ['FORMAT', format],
        ['TRANSPARENT', 'TRUE'],
        // An XML exception, never a picture of the error (1.1.1's name for it).
        ['EXCEPTIONS', capabilities.version === '1.3.0' ? 'XML' : 'application/vnd.ogc.se_xml']
      ]
      if (choice.time) params.push(['TIME', choice.time])
      setParams(url, params)
      return url.toString()
    }
  }, wmsTileSize(capabilities.maxWidth, capabilities.maxHeight))
}

/** Sets each parameter, replacing one the URL already has in any letter case. */
function setParams(url: URL, params: readonly [string, string][]): void {
  for (const [name] of params) {
    for (const key of [...url.searchParams.keys()]) if (key.toUpperCase() === name) url.searchParams.delete(key)
  }
  for (const [name, value] of params) url.searchParams.append(name, value)
}

/** The grid of a WMTS layer (REST template when the server gives one for the format, else KVP). */
export function wmtsLayerGrid(capabilities: WmtsCapabilities, layerId: string, choice: LayerChoice): WebGrid {
  const layer = capabilities.layers.find((l) => l.identifier === layerId)
  if (!layer) throw new Error(`the service has no layer named ${layerId} (it has ${capabilities.layers.map((l) => l.identifier).join(', ') || 'none'})`)
  const set = pickMatrixSet(capabilities, layer, choice)
  const style = pickWmtsStyle(layer, choice.style)
  const format = pickFormat(layer.formats.length > 0 ? layer.formats : layer.resourceUrls.map((r) => r.format), choice.format)
  const levels = matrixLevels(set.matrices, set.crs)
  const finest = levels[0]!
  const rest = layer.resourceUrls.find((resource) => resource.format === format) ?? (layer.formats.length === 0 ? layer.resourceUrls[0] : undefined)
  const kvp = capabilities.kvpUrl
  if (!rest && !kvp) throw new Error(`layer ${layerId} has no ResourceURL for ${format} and the service no KVP GetTile`)
  const dimensions = layer.dimensions.filter((d) => d.identifier)
  const tileUrl = (level: number, col: number, row: number): string => {
    const matrix = levels[level]!
    if (rest) {
      let url = rest.template
      const values: Record<string, string> = { TileMatrixSet: set.identifier, TileMatrix: matrix.identifier, TileRow: String(row), TileCol: String(col), Style: style }
      for (const d of dimensions) values[d.identifier] = d.identifier.toLowerCase() === 'time' && choice.time ? choice.time : d.default
      for (const [name, value] of Object.entries(values)) url = url.replace(new RegExp(`\\{${name}\\}`, 'gi'), encodeURIComponent(value))
      return url
    }
    const url = new URL(kvp!)
    setParams(url, [
      ['SERVICE', 'WMTS'],
      ['REQUEST', 'GetTile'],
      ['VERSION', '1.0.0'],
      ['LAYER', layer.identifier],
      ['STYLE', style],
      ['FORMAT', format],
      ['TILEMATRIXSET', set.identifier],
      ['TILEMATRIX', matrix.identifier],
      ['TILEROW', String(row)],
      ['TILECOL', String(col)],
      ...dimensions.map((d): [string, string] => [d.identifier.toUpperCase(), d.identifier.toLowerCase() === 'time' && choice.time ? choice.time : d.default])
    ])
    return url.toString()
  }
  const spec: MatrixGridSpec = {
    crs: set.crs,
    topLeft: finest.topLeft,
    pixelSize: pixelSizeOf(finest, set.crs),
    tileSize: finest.tileWidth,
    matrixWidth: finest.matrixWidth,
    matrixHeight: finest.matrixHeight,
    levelCount: levels.length,
    tileUrl
  }
  return matrixGrid(spec)
}

function pickMatrixSet(capabilities: WmtsCapabilities, layer: WmtsLayer, choice: LayerChoice): { identifier: string; crs: string; matrices: TileMatrix[] } {
  const linked = layer.tileMatrixSets.map((id) => capabilities.matrixSets.get(id)).filter((set) => set !== undefined)
  if (linked.length === 0) throw new Error(`layer ${layer.identifier} links no tile matrix set the document defines`)
  if (choice.tileMatrixSet) {
    const set = linked.find((s) => s.identifier === choice.tileMatrixSet)
    if (!set) throw new Error(`layer ${layer.identifier} is not tiled in the set ${choice.tileMatrixSet} (it is in ${linked.map((s) => s.identifier).join(', ')})`)
    return set
  }
  const inView = choice.viewCrs ? linked.find((s) => s.crs === normalCrsId(choice.viewCrs!)) : undefined
  return inView ?? linked[0]!
}

function pickWmtsStyle(layer: WmtsLayer, picked: string | undefined): string {
  if (picked) {
    if (!layer.styles.some((s) => s.name === picked)) throw new Error(`layer ${layer.identifier} has no style ${picked} (it has ${layer.styles.map((s) => s.name).join(', ')})`)
    return picked
  }
  return (layer.styles.find((s) => s.isDefault) ?? layer.styles[0])?.name ?? 'default'
}

/**
 * The matrices that are Tessera's levels: the finest, then each one of twice the pixel size
 * (within 1 %) sharing its top-left corner (within half a finest pixel) and tile size; the chain
 * stops at the first gap (coarser views draw the coarsest level, reduced by the renderer).
 */
export function matrixLevels(matrices: readonly TileMatrix[], crs: string): TileMatrix[] {
  if (matrices.length === 0) throw new Error('its tile matrix set has no matrices')
  const sorted = [...matrices].sort((a, b) => a.scaleDenominator - b.scaleDenominator)
  const finest = sorted[0]!
  const finestSize = pixelSizeOf(finest, crs)
  const levels = [finest]
  for (const matrix of sorted.slice(1)) {
    const wanted = finestSize * 2 ** levels.length
    const size = pixelSizeOf(matrix, crs)
    const sameCorner = Math.abs(matrix.topLeft[0] - finest.topLeft[0]) <= finestSize / 2 && Math.abs(matrix.topLeft[1] - finest.topLeft[1]) <= finestSize / 2
    if (Math.abs(size - wanted) <= wanted * 0.01 && sameCorner && matrix.tileWidth === finest.tileWidth && matrix.tileHeight === finest.tileHeight) levels.push(matrix)
    else if (size > wanted * 1.01) break
  }
  return levels
}
