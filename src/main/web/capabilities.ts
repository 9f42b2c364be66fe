/**
 * Reading a service's capabilities from its URL (`web-capabilities`): an XYZ template is its own
 * description; any other URL is fetched (a GetCapabilities request made of it when it names none)
 * through the web cache, and read as WMS or WMTS by its root element, or as an XYZ pyramid's own
 * document (a TMS `tilemapresource.xml`, a TileJSON) that states its zooms. Errors say what the URL
 * answered ("HTTP 404", a ServiceException's text, "not a WMS or WMTS capabilities document").
 */
import type { WebCapabilities, WebLayerChoice } from '../../shared/webLayers'
import { parseRemoteUrl } from '../remote/remoteUrl'
import { serviceExceptionText } from './serviceException'
import type { TileCache } from './tileCache'
import { crsIds, isWmsRoot, readWmsCapabilities, type WmsCapabilities } from './wmsCapabilities'
import { readWmtsCapabilities, type WmtsCapabilities } from './wmtsCapabilities'
import { type XyzLayerSpec, looksLikeJson, readTileJson, readTileMap } from './xyzDocument'
import { isXyzTemplate, parseXyzTemplate } from './xyzTemplate'
import { parseXml } from './xml'

export type ServiceDocument = { service: 'wms'; wms: WmsCapabilities } | { service: 'wmts'; wmts: WmtsCapabilities } | { service: 'xyz'; xyz: XyzLayerSpec }

/**
 * The URL of the capabilities of `url`: as given when it already asks (`REQUEST=`) or names a
 * document (`…/WMTSCapabilities.xml`, `…/tilemapresource.xml`, a TileJSON `…/tiles.json`); else GetCapabilities of the service it names (`SERVICE=`),
 * WMS by default.
 */
export function capabilitiesUrl(url: string): string {
  const parsed = parseRemoteUrl(url)
  const keys = [...parsed.searchParams.keys()].map((key) => key.toUpperCase())
  if (keys.includes('REQUEST') || /\.(xml|json)$/i.test(parsed.pathname)) return parsed.toString()
  const service = [...parsed.searchParams.entries()].find(([key]) => key.toUpperCase() === 'SERVICE')?.[1] ?? 'WMS'
  if (!keys.includes('SERVICE')) parsed.searchParams.append('SERVICE', service)
  parsed.searchParams.append('REQUEST', 'GetCapabilities')
  return parsed.toString()
}

/** Fetches and reads the capabilities at `url`; throws an Error whose message is the cause (the caller names the URL). */
export async function fetchServiceDocument(url: string, cache: TileCache, signal?: AbortSignal): Promise<ServiceDocument> {
  const asked = capabilitiesUrl(url)
  const answer = await cache.fetchCached(asked, { signal })
  const text = Buffer.from(answer.body).toString('utf8')
  const exception = serviceExceptionText(text)
  if (answer.status !== 200) throw new Error(`the server answered HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}${exception ? `: ${exception}` : ''}`)
  if (exception) throw new Error(`the server refused GetCapabilities: ${exception}`)
  if (looksLikeJson(text)) return { service: 'xyz', xyz: readTileJson(text, asked) }
  let parsed
  try {
    parsed = parseXml(text)
  } catch (error) {
    throw new Error(`its answer is not a capabilities document: ${(error as Error).message}`)
  }
  if (isWmsRoot(parsed.name)) return { service: 'wms', wms: readWmsCapabilities(parsed.name, parsed.root, asked) }
  if (parsed.name === 'Capabilities') return { service: 'wmts', wmts: readWmtsCapabilities(parsed.root, asked) }
  if (parsed.name === 'TileMap') return { service: 'xyz', xyz: readTileMap(parsed.root, asked) }
  throw new Error(`its answer is not a WMS or WMTS capabilities document nor a TMS tile map (its root element is <${parsed.name}>)`)
}

/** What `web-capabilities` answers for `url`. */
export async function readWebCapabilities(url: string, cache: TileCache, signal?: AbortSignal): Promise<WebCapabilities> {
  if (isXyzTemplate(url)) {
    parseXyzTemplate(url)
    parseRemoteUrl(url.replace(/\{[^}]*\}/g, '0'))
    // A bare template states no zooms: the layer opens at DEFAULT_XYZ_ZOOMS unless told others.
    return {
      service: 'xyz',
      title: new URL(url.replace(/\{[^}]*\}/g, '0')).host,
      layers: [{ name: url, title: new URL(url.replace(/\{[^}]*\}/g, '0')).host, crs: ['EPSG:3857'], styles: [], formats: [], bbox84: [-180, -85.0511287798, 180, 85.0511287798] }]
    }
  }
  const document = await fetchServiceDocument(url, cache, signal)
  if (document.service === 'xyz') return xyzChoices(url, document.xyz)
  return document.service === 'wms' ? wmsChoices(document.wms) : wmtsChoices(document.wmts)
}

/** An XYZ pyramid's document: one layer, named by the document's URL (`open-web-layer` reads it again), with its zooms. */
function xyzChoices(url: string, xyz: XyzLayerSpec): WebCapabilities {
  const layer: WebLayerChoice = {
    name: url,
    title: xyz.title,
    crs: ['EPSG:3857'],
    styles: [],
    formats: xyz.format ? [xyz.format] : [],
    bbox84: xyz.bbox84 ? [...xyz.bbox84] : [-180, -85.0511287798, 180, 85.0511287798],
    minZoom: xyz.minZoom,
    maxZoom: xyz.maxZoom
  }
  return { service: 'xyz', title: xyz.title, layers: [layer], ...(xyz.attribution ? { attribution: xyz.attribution } : {}) }
}

function wmsChoices(wms: WmsCapabilities): WebCapabilities {
  const layers = wms.layers.map((layer): WebLayerChoice => {
    const choice: WebLayerChoice = { name: layer.name, title: layer.title, crs: crsIds(layer.crs), styles: layer.styles, formats: wms.formats }
    if (layer.bbox84) choice.bbox84 = layer.bbox84
    if (layer.time) choice.time = layer.time
    return choice
  })
  return { service: 'wms', title: wms.title, version: wms.version, layers, ...(wms.attribution ? { attribution: wms.attribution } : {}) }
}

function wmtsChoices(wmts: WmtsCapabilities): WebCapabilities {
  const layers = wmts.layers.map((layer): WebLayerChoice => {
    const sets = layer.tileMatrixSets.map((id) => wmts.matrixSets.get(id)).filter((set) => set !== undefined)
    const choice: WebLayerChoice = {
      name: layer.identifier,
      title: layer.title,
      crs: [...new Set(sets.map((set) => set.crs))],
      styles: layer.styles.map(({ name, title }) => ({ name, title })),
      formats: layer.formats,
      tileMatrixSets: layer.tileMatrixSets
    }
    if (layer.bbox84) choice.bbox84 = layer.bbox84
    return choice
  })
  return { service: 'wmts', title: wmts.title, version: '1.0.0', layers, ...(wmts.attribution ? { attribution: wmts.attribution } : {}) }
}
