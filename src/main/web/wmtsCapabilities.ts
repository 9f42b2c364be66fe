/**
 * A WMTS 1.0.0 GetCapabilities document (OGC 07-057r7): its layers (styles, formats,
 * WGS84BoundingBox, the tile matrix sets they link, REST ResourceURL templates) and its tile
 * matrix sets with their matrices, and where KVP GetTile requests go. A matrix's TopLeftCorner is
 * written in its CRS's axis order (EPSG:4326: latitude first) and held here east, north.
 */
import type { WebStyle } from '../../shared/webLayers'
import { isGeographic, normalCrsId, northingFirst } from './axisOrder'
import { resolveServiceUrl } from './serviceUrl'
import { type XmlElement, attribute, child, childText, childTexts, children, numberOf } from './xml'

export interface TileMatrix {
  identifier: string
  scaleDenominator: number
  /** Top-left corner of tile (0, 0), east then north. */
  topLeft: [number, number]
  tileWidth: number
  tileHeight: number
  matrixWidth: number
  matrixHeight: number
}

export interface TileMatrixSet {
  identifier: string
  /** The set's CRS as Tessera names it (`EPSG:3857`). */
  crs: string
  /** The CRS as the document wrote it (`urn:ogc:def:crs:EPSG::3857`), for axis order. */
  supportedCrs: string
  matrices: TileMatrix[]
}

export interface WmtsLayer {
  identifier: string
  title: string
  styles: (WebStyle & { isDefault: boolean })[]
  formats: string[]
  bbox84: [number, number, number, number] | null
  tileMatrixSets: string[]
  /** REST templates of tiles: `{TileMatrix}`, `{TileRow}`, `{TileCol}`, `{Style}`, `{TileMatrixSet}`, dimensions. */
  resourceUrls: { format: string; template: string }[]
  /** Dimensions (`Time`, …): their default values, substituted into templates and KVP requests. */
  dimensions: { identifier: string; default: string }[]
}

export interface WmtsCapabilities {
  title: string
  layers: WmtsLayer[]
  matrixSets: Map<string, TileMatrixSet>
  /** The KVP GetTile URL (OperationsMetadata), or null when the server offers REST only. */
  kvpUrl: string | null
  /** The provider (ServiceProvider/ProviderName), the service's attribution. */
  attribution: string
}

/** Reads a WMTS capabilities document (root `Capabilities`); `url` resolves relative URLs. */
export function readWmtsCapabilities(root: XmlElement, url: string): WmtsCapabilities {
  const contents = child(root, 'Contents')
  if (!contents) throw new Error('its WMTS capabilities have no <Contents> element')
  const matrixSets = new Map<string, TileMatrixSet>()
  for (const element of children(contents, 'TileMatrixSet')) {
    const set = matrixSet(element)
    matrixSets.set(set.identifier, set)
  }
  const layers = children(contents, 'Layer').map((element) => layer(element, url))
  return {
    title: childText(child(root, 'ServiceIdentification'), 'Title') || 'WMTS',
    layers,
    matrixSets,
    kvpUrl: kvpGetTileUrl(root, url),
    attribution: childText(child(root, 'ServiceProvider'), 'ProviderName')
  }
}

function matrixSet(element: XmlElement): TileMatrixSet {
  const identifier = childText(element, 'Identifier')
  const supportedCrs = childText(element, 'SupportedCRS')
  const swap = northingFirst(supportedCrs)
  const matrices = children(element, 'TileMatrix').map((m): TileMatrix => {
    const corner = childText(m, 'TopLeftCorner').split(/\s+/).map(Number)
    const [a = NaN, b = NaN] = corner
    const values = {
      scaleDenominator: numberOf(childText(m, 'ScaleDenominator')),
      tileWidth: numberOf(childText(m, 'TileWidth')),
      tileHeight: numberOf(childText(m, 'TileHeight')),
      matrixWidth: numberOf(childText(m, 'MatrixWidth')),
      matrixHeight: numberOf(childText(m, 'MatrixHeight'))
    }
    const id = childText(m, 'Identifier')
    for (const [name, value] of Object.entries(values)) {
      if (value === null || value <= 0) throw new Error(`tile matrix ${id} of set ${identifier} has no valid ${name}`)
    }
    if (!Number.isFinite(a) || !Number.isFinite(b)) throw new Error(`tile matrix ${id} of set ${identifier} has no valid TopLeftCorner`)
    return { identifier: id, topLeft: swap ? [b, a] : [a, b], ...(values as Record<keyof typeof values, number>) }
  })
  return { identifier, crs: normalCrsId(supportedCrs), supportedCrs, matrices }
}

function layer(element: XmlElement, base: string): WmtsLayer {
  const identifier = childText(element, 'Identifier')
  const box = child(element, 'WGS84BoundingBox')
  const lower = childText(box, 'LowerCorner').split(/\s+/).map(Number)
  const upper = childText(box, 'UpperCorner').split(/\s+/).map(Number)
  const corners = [...lower, ...upper]
  return {
    identifier,
    title: childText(element, 'Title') || identifier,
    styles: children(element, 'Style').map((style) => ({
      name: childText(style, 'Identifier'),
      title: childText(style, 'Title') || childText(style, 'Identifier'),
      isDefault: attribute(style, 'isDefault') === 'true'
    })),
    formats: childTexts(element, 'Format'),
    bbox84: box && corners.length === 4 && corners.every(Number.isFinite) ? (corners as [number, number, number, number]) : null,
    tileMatrixSets: children(element, 'TileMatrixSetLink').map((link) => childText(link, 'TileMatrixSet')).filter(Boolean),
    resourceUrls: children(element, 'ResourceURL')
      .filter((resource) => (attribute(resource, 'resourceType') ?? 'tile') === 'tile')
      .map((resource) => ({ format: attribute(resource, 'format') ?? '', template: resolveTemplate(attribute(resource, 'template') ?? '', base) }))
      .filter((resource) => resource.template !== ''),
    dimensions: children(element, 'Dimension').map((d) => ({ identifier: childText(d, 'Identifier'), default: childText(d, 'Default') || childText(d, 'Value') }))
  }
}

/** The GetTile operation's KVP Get URL: the DCP whose Constraint allows KVP, or the only one. */
function kvpGetTileUrl(root: XmlElement, base: string): string | null {
  const operation = children(child(root, 'OperationsMetadata'), 'Operation').find((op) => attribute(op, 'name') === 'GetTile')
  const gets = children(child(child(operation, 'DCP'), 'HTTP'), 'Get')
  if (gets.length === 0) return null
  const encodings = (get: XmlElement): string[] => children(get, 'Constraint').flatMap((c) => childTexts(child(c, 'AllowedValues'), 'Value'))
  const kvp = gets.find((get) => encodings(get).includes('KVP')) ?? gets.find((get) => encodings(get).length === 0)
  const href = attribute(kvp, 'href')
  return href ? resolveServiceUrl(href, base) : null
}

/** A template's fixed part resolved against the capabilities URL, its `{…}` kept as written. */
function resolveTemplate(template: string, base: string): string {
  if (template === '') return template
  const placeholders: string[] = []
  const marked = template.replace(/\{[^}]*\}/g, (match) => `__tessera${placeholders.push(match) - 1}__`)
  return resolveServiceUrl(marked, base).replace(/__tessera(\d+)__/g, (_m, i: string) => placeholders[Number(i)]!)
}

/** Metres per unit of a CRS: the WMTS scale-denominator rule (OGC 07-057r7 §6.1.1, 0.28 mm pixels). */
export function metresPerUnit(crs: string): number {
  return isGeographic(crs) ? (2 * Math.PI * 6378137) / 360 : 1
}

/** The ground size of a pixel of `matrix` in its CRS's units. */
export function pixelSizeOf(matrix: TileMatrix, crs: string): number {
  return (matrix.scaleDenominator * 0.00028) / metresPerUnit(crs)
}
