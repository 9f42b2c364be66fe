/**
 * A WMS GetCapabilities document, 1.3.0 (`WMS_Capabilities`) or 1.1.1 (`WMT_MS_Capabilities`), as
 * the host needs it to ask for maps: the GetMap URL and formats, and every named layer with what
 * it inherits from its parents (OGC 06-042 §7.2.4.8: CRSs and styles add up; the geographic box,
 * bounding boxes, dimensions, attribution and scale limits are replaced by a child's own).
 * Bounding boxes are held east, north whatever the version wrote (1.3.0's EPSG:4326 is lat, lon).
 */
import type { WebStyle } from '../../shared/webLayers'
import { normalCrsId, northingFirst } from './axisOrder'
import { resolveServiceUrl } from './serviceUrl'
import { type XmlElement, attribute, child, childText, childTexts, children, numberOf } from './xml'

export type WmsVersion = '1.3.0' | '1.1.1'

/** A box in a CRS, x = east and y = north. */
export interface CrsBox {
  crs: string
  minX: number
  minY: number
  maxX: number
  maxY: number
}

export interface WmsLayer {
  name: string
  title: string
  /** CRS ids as the server spells them, its own and inherited (`EPSG:31370`, `CRS:84`). */
  crs: string[]
  styles: WebStyle[]
  /** WGS 84 [west, south, east, north]. */
  bbox84: [number, number, number, number] | null
  boxes: CrsBox[]
  time: { default?: string; values?: string } | null
  attribution: string
  /** Scale denominators the layer is drawn between (null: no limit). */
  minScaleDenominator: number | null
  maxScaleDenominator: number | null
}

export interface WmsCapabilities {
  version: WmsVersion
  title: string
  /** Where GetMap requests go (the DCP Get OnlineResource). */
  getMapUrl: string
  formats: string[]
  /** Largest image the server draws (MaxWidth/MaxHeight), or null. */
  maxWidth: number | null
  maxHeight: number | null
  /** Named layers, in document order. */
  layers: WmsLayer[]
  /** The root layer's attribution, when it states one. */
  attribution: string
}

/** True for the root element names of WMS capabilities. */
export function isWmsRoot(name: string): boolean {
  return name === 'WMS_Capabilities' || name === 'WMT_MS_Capabilities'
}

type Inherited = Omit<WmsLayer, 'name' | 'title'>

/** Reads a WMS capabilities document (root element `rootName`); `url` resolves a relative GetMap URL. */
export function readWmsCapabilities(rootName: string, root: XmlElement, url: string): WmsCapabilities {
  const version: WmsVersion = rootName === 'WMS_Capabilities' ? '1.3.0' : '1.1.1'
  const service = child(root, 'Service')
  const capability = child(root, 'Capability')
  if (!capability) throw new Error('its WMS capabilities have no <Capability> element')
  const getMap = child(child(capability, 'Request'), 'GetMap')
  const getHref = attribute(child(child(child(child(getMap, 'DCPType'), 'HTTP'), 'Get'), 'OnlineResource'), 'href')
  const layers: WmsLayer[] = []
  const rootLayer = child(capability, 'Layer')
  const start: Inherited = { crs: [], styles: [], bbox84: null, boxes: [], time: null, attribution: '', minScaleDenominator: null, maxScaleDenominator: null }
  if (rootLayer) walk(rootLayer, start, version, layers)
  const rootAttribution = rootLayer ? inherit(rootLayer, start, version).attribution : ''
  return {
    version,
    title: childText(service, 'Title') || childText(rootLayer, 'Title') || 'WMS',
    getMapUrl: resolveUrl(getHref, url),
    formats: childTexts(getMap, 'Format'),
    maxWidth: numberOf(childText(service, 'MaxWidth')),
    maxHeight: numberOf(childText(service, 'MaxHeight')),
    layers,
    attribution: rootAttribution
  }
}

function walk(element: XmlElement, parent: Inherited, version: WmsVersion, out: WmsLayer[]): void {
  const own = inherit(element, parent, version)
  const name = childText(element, 'Name')
  if (name) out.push({ name, title: childText(element, 'Title') || name, ...own })
  for (const sub of children(element, 'Layer')) walk(sub, own, version, out)
}

/** What `element` has once its parent's inheritance is applied. */
function inherit(element: XmlElement, parent: Inherited, version: WmsVersion): Inherited {
  const crsNames = childTexts(element, version === '1.3.0' ? 'CRS' : 'SRS').flatMap((text) => text.split(/\s+/))
  const crs = [...new Set([...parent.crs, ...crsNames])]
  const ownStyles = children(element, 'Style').map((style) => ({ name: childText(style, 'Name'), title: childText(style, 'Title') || childText(style, 'Name') }))
  const styles = [...parent.styles, ...ownStyles.filter((style) => style.name && !parent.styles.some((known) => known.name === style.name))]
  const boxes = children(element, 'BoundingBox').map((box) => crsBox(box, version)).filter((box): box is CrsBox => box !== null)
  const attributionElement = child(element, 'Attribution')
  const attribution = attributionElement ? childText(attributionElement, 'Title') || attribute(child(attributionElement, 'OnlineResource'), 'href') || '' : parent.attribution
  return {
    crs,
    styles,
    bbox84: geographicBox(element, version) ?? parent.bbox84,
    boxes: boxes.length > 0 ? boxes : parent.boxes,
    time: timeDimension(element, version) ?? parent.time,
    attribution,
    minScaleDenominator: (version === '1.3.0' ? numberOf(childText(element, 'MinScaleDenominator')) : scaleHint(element, 'min')) ?? parent.minScaleDenominator,
    maxScaleDenominator: (version === '1.3.0' ? numberOf(childText(element, 'MaxScaleDenominator')) : scaleHint(element, 'max')) ?? parent.maxScaleDenominator
  }
}

/** 1.1.1's ScaleHint is a ground distance per pixel diagonal; taken as a scale at 0.28 mm pixels. */
function scaleHint(element: XmlElement, end: 'min' | 'max'): number | null {
  const value = numberOf(attribute(child(element, 'ScaleHint'), end))
  return value === null ? null : value / Math.SQRT2 / 0.00028
}

function geographicBox(element: XmlElement, version: WmsVersion): [number, number, number, number] | null {
  if (version === '1.3.0') {
    const box = child(element, 'EX_GeographicBoundingBox')
    if (!box) return null
    const values = ['westBoundLongitude', 'southBoundLatitude', 'eastBoundLongitude', 'northBoundLatitude'].map((name) => numberOf(childText(box, name)))
    return values.every((v) => v !== null) ? (values as [number, number, number, number]) : null
  }
  const box = child(element, 'LatLonBoundingBox')
  if (!box) return null
  const values = ['minx', 'miny', 'maxx', 'maxy'].map((name) => numberOf(attribute(box, name)))
  return values.every((v) => v !== null) ? (values as [number, number, number, number]) : null
}

function crsBox(box: XmlElement, version: WmsVersion): CrsBox | null {
  const crs = attribute(box, version === '1.3.0' ? 'CRS' : 'SRS')
  const [a, b, c, d] = ['minx', 'miny', 'maxx', 'maxy'].map((name) => numberOf(attribute(box, name)))
  if (!crs || a == null || b == null || c == null || d == null) return null
  // 1.3.0 writes the CRS's own axis order: "minx" of EPSG:4326 is the southern latitude.
  const swap = version === '1.3.0' && northingFirst(crs)
  return swap ? { crs, minX: b, minY: a, maxX: d, maxY: c } : { crs, minX: a, minY: b, maxX: c, maxY: d }
}

/** The time dimension: 1.3.0's `<Dimension name="time" default=…>values</Dimension>`, 1.1.1's `<Extent name="time">`. */
function timeDimension(element: XmlElement, version: WmsVersion): WmsLayer['time'] {
  const holder = version === '1.3.0' ? 'Dimension' : 'Extent'
  const dimension = children(element, holder).find((d) => attribute(d, 'name')?.toLowerCase() === 'time')
  if (!dimension) return null
  const time: NonNullable<WmsLayer['time']> = {}
  const defaultValue = attribute(dimension, 'default')
  const values = typeof dimension['#text'] === 'string' ? (dimension['#text'] as string).trim() : ''
  if (defaultValue) time.default = defaultValue
  if (values) time.values = values
  return time
}

/** `href` resolved against the capabilities URL; the capabilities URL's path when absent. */
function resolveUrl(href: string | undefined, base: string): string {
  if (!href) {
    const url = new URL(base)
    url.search = ''
    return url.toString()
  }
  return resolveServiceUrl(href, base)
}

/** CRS ids as Tessera names them, duplicates dropped (`EPSG:4326` and its URN are one). */
export function crsIds(crs: readonly string[]): string[] {
  return [...new Set(crs.map(normalCrsId))]
}
