/**
 * The documents that describe an XYZ/TMS pyramid, so that its zooms and extent are known rather
 * than guessed: a TMS `tilemapresource.xml` (OSGeo TMS 1.0.0, as `gdal2tiles.py` writes one beside
 * its tiles) and a TileJSON document (2.x/3.x). Both become an `XyzLayerSpec`: a `{z}/{x}/{y}`
 * template (`{-y}` for TMS rows), the zoom range and the WGS 84 box. Pure.
 */
import { MAX_WEB_ZOOM } from '../../shared/webLayers'
import { type XmlElement, attribute, child, childText, children, numberOf } from './xml'
import { WEB_MERCATOR_HALF, isXyzTemplate } from './xyzTemplate'

/** What an XYZ layer is made of: its template, the zooms its tiles exist at, and where they are. */
export interface XyzLayerSpec {
  title: string
  template: string
  minZoom: number
  maxZoom: number
  /** Where the tiles are, in WGS 84 longitude/latitude [west, south, east, north]; absent: the whole world. */
  bbox84?: [number, number, number, number]
  attribution?: string
  /** The tiles' MIME type, when the document says it. */
  format?: string
}

/** Web Mercator's latitude limit (the square's edge), degrees. */
export const MERCATOR_MAX_LATITUDE = 85.0511287798

/** Ground size of a zoom-0 pixel of a 256-px Web Mercator pyramid (TMS's global-mercator `units-per-pixel` at order 0). */
const ZOOM0_UNITS_PER_PIXEL = (2 * WEB_MERCATOR_HALF) / 256

/** True when `text` is a TileJSON document rather than XML (it is a JSON object). */
export function looksLikeJson(text: string): boolean {
  return text.trimStart().startsWith('{')
}

/**
 * Reads a TileJSON document fetched from `url` (its tile URLs resolved against it). The first of
 * its `tiles` is used (the others are the same tiles on other hosts); `scheme: "tms"` counts rows
 * from the south; absent `minzoom`/`maxzoom` are TileJSON's defaults, 0 and 30.
 */
export function readTileJson(text: string, url: string): XyzLayerSpec {
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch (error) {
    throw new Error(`it is not valid JSON (${(error as Error).message})`)
  }
  if (!isRecord(document) || !Array.isArray(document.tiles)) throw new Error('it is not a TileJSON document (it has no "tiles" list)')
  const first = document.tiles.find((t): t is string => typeof t === 'string' && t !== '')
  if (!first) throw new Error('its "tiles" list names no tile URL')
  let template = resolveTemplate(first, url)
  if (document.scheme === 'tms') template = template.replace(/\{y\}/g, '{-y}')
  if (!isXyzTemplate(template)) throw new Error(`its tile URL ${first} has no {z}, {x} and {y}`)
  const minZoom = zoomOf(document.minzoom, 0, 'minzoom')
  const maxZoom = zoomOf(document.maxzoom, MAX_WEB_ZOOM, 'maxzoom')
  if (minZoom > maxZoom) throw new Error(`its minzoom ${minZoom} is above its maxzoom ${maxZoom}`)
  const spec: XyzLayerSpec = { title: typeof document.name === 'string' && document.name ? document.name : hostOf(template), template, minZoom, maxZoom }
  const bounds = document.bounds
  if (Array.isArray(bounds) && bounds.length === 4 && bounds.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    spec.bbox84 = checkedBox(bounds as [number, number, number, number], 'its bounds')
  }
  if (typeof document.attribution === 'string' && document.attribution.trim()) spec.attribution = plainText(document.attribution)
  return spec
}

/**
 * Reads a TMS `tilemapresource.xml` (root element `TileMap`) fetched from `url`. Only the
 * global-mercator layout is read (SRS EPSG:3857 or its old names, 256-px tiles); each TileSet's zoom
 * is told by its `units-per-pixel`, and its `href` must be a common prefix followed by that zoom
 * (gdal2tiles writes `href="15"`), so that one template `<prefix>{z}/{x}/{-y}.<extension>` holds all.
 */
export function readTileMap(root: XmlElement, url: string): XyzLayerSpec {
  const srs = childText(root, 'SRS')
  if (!/^(EPSG:(3857|900913|3785)|OSGEO:41001)$/i.test(srs.trim())) {
    throw new Error(`its SRS is ${srs || 'not stated'}: Tessera reads TMS tile maps in Web Mercator (EPSG:3857) only`)
  }
  const format = child(root, 'TileFormat')
  const width = numberOf(attribute(format, 'width'))
  const height = numberOf(attribute(format, 'height'))
  if ((width !== null && width !== 256) || (height !== null && height !== 256)) throw new Error(`its tiles are ${width} × ${height} pixels: Tessera reads 256-pixel tiles`)
  const extension = attribute(format, 'extension') || 'png'
  const sets = children(child(root, 'TileSets'), 'TileSet')
  if (sets.length === 0) throw new Error('it lists no TileSet')
  let prefix: string | null = null
  const zooms: number[] = []
  for (const set of sets) {
    const href = attribute(set, 'href') ?? ''
    const unitsPerPixel = numberOf(attribute(set, 'units-per-pixel'))
    if (unitsPerPixel === null || !(unitsPerPixel > 0)) throw new Error(`its TileSet ${href || '(no href)'} states no units-per-pixel`)
    const zoom = Math.round(Math.log2(ZOOM0_UNITS_PER_PIXEL / unitsPerPixel))
    const expected = ZOOM0_UNITS_PER_PIXEL / 2 ** zoom
    if (zoom < 0 || zoom > MAX_WEB_ZOOM || Math.abs(unitsPerPixel - expected) > expected * 0.01) {
      throw new Error(`its TileSet ${href} has ${unitsPerPixel} units per pixel, not a Web Mercator zoom's`)
    }
    if (!href.endsWith(String(zoom))) throw new Error(`its TileSet href "${href}" does not end with its zoom ${zoom}`)
    const own = href.slice(0, href.length - String(zoom).length)
    if (prefix !== null && own !== prefix) throw new Error(`its TileSet hrefs do not share one prefix ("${prefix}" and "${own}")`)
    prefix = own
    zooms.push(zoom)
  }
  const template = resolveTemplate(`${prefix!}{z}/{x}/{-y}.${extension}`, url)
  const spec: XyzLayerSpec = { title: childText(root, 'Title') || hostOf(template), template, minZoom: Math.min(...zooms), maxZoom: Math.max(...zooms) }
  const box = tileMapBox84(child(root, 'BoundingBox'))
  if (box) spec.bbox84 = box
  const mime = attribute(format, 'mime-type')
  if (mime) spec.format = mime
  return spec
}

/**
 * A TileMap's BoundingBox in WGS 84. TMS states it in the SRS's units (metres), but gdal2tiles
 * writes degrees there for its mercator profile: a box within ±180 × ±90 is read as degrees (a
 * metre box that small would lie within 200 m of the null island, in the sea).
 */
function tileMapBox84(box: XmlElement | undefined): [number, number, number, number] | undefined {
  const values = ['minx', 'miny', 'maxx', 'maxy'].map((name) => numberOf(attribute(box, name)))
  if (values.some((v) => v === null)) return undefined
  const [minX, minY, maxX, maxY] = values as [number, number, number, number]
  if (Math.abs(minX) <= 180 && Math.abs(maxX) <= 180 && Math.abs(minY) <= 90 && Math.abs(maxY) <= 90) return checkedBox([minX, minY, maxX, maxY], 'its BoundingBox')
  const lon = (x: number): number => (x / WEB_MERCATOR_HALF) * 180
  const lat = (y: number): number => (Math.atan(Math.sinh((y / WEB_MERCATOR_HALF) * Math.PI)) * 180) / Math.PI
  return checkedBox([lon(minX), lat(minY), lon(maxX), lat(maxY)], 'its BoundingBox')
}

function checkedBox(box: [number, number, number, number], what: string): [number, number, number, number] {
  const [west, south, east, north] = box
  if (!(west < east && south < north && west >= -180 && east <= 180 && south >= -90 && north <= 90)) throw new Error(`${what} [${box.join(', ')}] is not a longitude/latitude box`)
  return [west, Math.max(south, -MERCATOR_MAX_LATITUDE), east, Math.min(north, MERCATOR_MAX_LATITUDE)]
}

function zoomOf(value: unknown, fallback: number, name: string): number {
  if (value === undefined || value === null) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_WEB_ZOOM) throw new Error(`its ${name} ${JSON.stringify(value)} is not a zoom from 0 to ${MAX_WEB_ZOOM}`)
  return value
}

/**
 * `template` resolved against the document's URL, its `{…}` placeholders kept as written (the URL
 * parser would percent-encode the braces).
 */
export function resolveTemplate(template: string, base: string): string {
  const names: string[] = []
  const marked = template.replace(/\{[^}]*\}/g, (name) => `tesseraplaceholder${names.push(name) - 1}x`)
  const resolved = new URL(marked, base).href
  return resolved.replace(/tesseraplaceholder(\d+)x/g, (_m, i: string) => names[Number(i)]!)
}

function hostOf(template: string): string {
  return new URL(template.replace(/\{[^}]*\}/g, '0')).host
}

/** TileJSON's attribution is HTML: the text a person reads ("© <a …>OpenStreetMap</a>" → "© OpenStreetMap"). */
function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&copy;/gi, '©')
    .replace(/&amp;/gi, '&')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/\s+/g, ' ')
    .trim()
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
