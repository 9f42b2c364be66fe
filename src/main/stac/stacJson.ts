/**
 * A STAC document's JSON checked for what Tessera reads of it: which kind it is (Item, Collection,
 * Catalog, or an ItemCollection of Items, as a STAC API's /items answers), and that its
 * `stac_version` is one Tessera reads (1.x). The refusals name the document and say what is wrong.
 */

/** The kinds of document Tessera reads. */
export type StacJsonKind = 'Item' | 'Collection' | 'Catalog' | 'ItemCollection'

/** A document's JSON with its kind and version. */
export interface StacJson {
  kind: StacJsonKind
  /** The document's `stac_version` ('' for an ItemCollection that states none). */
  version: string
  json: Record<string, unknown>
}

/** A STAC document that Tessera does not read, with the cause in words. */
export class StacDocumentError extends Error {
  constructor(
    readonly href: string,
    readonly reason: string
  ) {
    super(`Cannot read STAC ${href}: ${reason}`)
    this.name = 'StacDocumentError'
  }
}

/** STAC 1.0.0, 1.1.0 and their pre-releases ("1.0.0-rc.2"). */
const SUPPORTED_VERSION = /^1\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/

/** `text` (the bytes of `href`) parsed and checked as a STAC document. */
export function parseStacJson(text: string, href: string): StacJson {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    const start = text.trimStart().slice(0, 1)
    const hint = start === '<' ? ' (it looks like HTML or XML)' : ''
    throw new StacDocumentError(href, `not a STAC document: it is not JSON${hint} (${(error as Error).message})`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StacDocumentError(href, `not a STAC document: its JSON is ${Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'null' : `a ${typeof value}`}, not an object`)
  }
  return checkStacObject(value as Record<string, unknown>, href)
}

/** An object checked as a STAC document (an Item embedded in an ItemCollection too). */
export function checkStacObject(json: Record<string, unknown>, href: string): StacJson {
  const type = json.type
  if (type === 'FeatureCollection') {
    const features = json.features
    if (!Array.isArray(features)) throw new StacDocumentError(href, 'not a STAC document: a FeatureCollection without features')
    const stacFeature = features.find((f) => typeof f === 'object' && f !== null && 'stac_version' in f)
    if (features.length > 0 && stacFeature === undefined) throw new StacDocumentError(href, 'not a STAC document: a GeoJSON FeatureCollection whose features are not STAC Items (no stac_version)')
    return { kind: 'ItemCollection', version: typeof json.stac_version === 'string' ? json.stac_version : '', json }
  }
  const version = json.stac_version
  if (version === undefined) {
    const what = typeof type === 'string' ? `a JSON object of type "${type}"` : 'a JSON object'
    throw new StacDocumentError(href, `not a STAC document: ${what} without stac_version`)
  }
  if (typeof version !== 'string') throw new StacDocumentError(href, `not a STAC document: its stac_version is not a string (${JSON.stringify(version)})`)
  if (!SUPPORTED_VERSION.test(version)) {
    throw new StacDocumentError(href, `STAC version ${version} is not supported: Tessera reads STAC 1.x (stac-migrate, or a STAC API, converts older documents)`)
  }
  if (type === 'Feature') return { kind: 'Item', version, json }
  if (type === 'Collection' || type === 'Catalog') return { kind: type, version, json }
  const said = typeof type === 'string' ? `"${type}"` : type === undefined ? 'missing' : JSON.stringify(type)
  throw new StacDocumentError(href, `not a STAC document: its type is ${said}; expected "Feature" (an Item), "Collection" or "Catalog"`)
}
