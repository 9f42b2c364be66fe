/**
 * `stac-read`: a STAC Item, Collection, Catalog or ItemCollection read and summarised. An Item
 * answers its footprint and assets. A Collection or Catalog answers its items with their
 * footprints: its own item links, then those of its children followed one level down (a static
 * catalog's usual layout), and the first page of a STAC API Collection's `items` link; at most
 * `STAC_LIMITS.maxItems` links, a page of `pageSize` items read per call (the next page is the next
 * call, from `first`). A child or item that cannot be read is a line of `problems`; the rest list.
 */
import { STAC_LIMITS, type StacBbox, type StacCatalogSummary, type StacChildLink, type StacDocument, type StacItemSummary } from '../../shared/stac'
import { isAbortError } from '../remote/errors'
import { readStacText, type StacTextOptions } from './readStacText'
import { bboxOf, isRecord, summariseItem } from './stacItem'
import { StacDocumentError, checkStacObject, parseStacJson, type StacJson } from './stacJson'
import { type StacBase, type StacLocation, locationOf, locationText, resolveHref } from './stacLocation'

export interface StacReadOptions extends StacTextOptions {
  /** Index of the first item of the page wanted (a Collection or Catalog); default 0. */
  first?: number
  /** The document's text when the page already has it (a file dropped in a browser): not read again. */
  text?: string
}

/** Where an item comes from: a link to its document, or embedded in an ItemCollection read at `base`. */
type ItemSource = { kind: 'link'; location: StacLocation } | { kind: 'embedded'; json: Record<string, unknown>; base: StacBase }

/** The document at `href` (a URL or a path), summarised; rejects with a StacDocumentError naming it. */
export async function readStac(href: string, options: StacReadOptions): Promise<StacDocument> {
  const place = locationOf(href)
  // A document the page sent is known by its name only, unless that name is its URL.
  const root: StacBase = options.text !== undefined && place.kind !== 'url' ? { kind: 'detached', name: href } : place.kind === 'none' ? fail(href, place.why) : place
  const document = options.text !== undefined ? parseStacJson(options.text, href) : await readDocument(root as StacLocation, options)
  if (document.kind === 'Item') return { kind: 'Item', stacVersion: document.version, item: summariseItem(document.json, root) }
  const problems: string[] = []
  const { sources, children, truncated } = await listItemSources(document, root, options, problems)
  const first = Math.min(Math.max(0, options.first ?? 0), sources.length)
  const page = sources.slice(first, first + STAC_LIMITS.pageSize)
  const read = await mapLimited(page, STAC_LIMITS.readsAtOnce, (source) => readItem(source, options, problems))
  const json = document.json
  const summary: StacCatalogSummary = {
    kind: document.kind === 'Collection' ? 'Collection' : 'Catalog',
    id: typeof json.id === 'string' ? json.id : document.kind === 'ItemCollection' ? lastSegment(href) : '(no id)',
    href: locationText(root),
    bbox: collectionBbox(json),
    items: read.filter((item): item is StacItemSummary => item !== null),
    first,
    itemCount: sources.length,
    truncated,
    children,
    problems
  }
  if (typeof json.title === 'string') summary.title = json.title
  if (typeof json.description === 'string') summary.description = json.description
  return { stacVersion: document.version, ...summary }
}

async function readDocument(location: StacLocation, options: StacTextOptions): Promise<StacJson> {
  return parseStacJson(await readStacText(location, options), locationText(location))
}

/**
 * The item sources of a Collection, Catalog or ItemCollection: its own, then its children's (one
 * level), in link order, each linked document once, at most `maxItems`.
 */
async function listItemSources(document: StacJson, root: StacBase, options: StacTextOptions, problems: string[]): Promise<{ sources: ItemSource[]; children: StacChildLink[]; truncated: boolean }> {
  const sources: ItemSource[] = []
  const seen = new Set<string>()
  let truncated = false
  const add = (source: ItemSource): void => {
    if (source.kind === 'link') {
      const key = locationText(source.location)
      if (seen.has(key)) return
      seen.add(key)
    }
    if (sources.length < STAC_LIMITS.maxItems) sources.push(source)
    else truncated = true
  }
  for (const source of await ownItemSources(document, root, options, problems)) add(source)
  const childLinks = links(document.json, 'child', root, problems)
  if (childLinks.length > STAC_LIMITS.maxChildren) truncated = true
  const followed = childLinks.slice(0, STAC_LIMITS.maxChildren)
  const childSources = await mapLimited(followed, STAC_LIMITS.readsAtOnce, async (child) => {
    try {
      return await ownItemSources(await readDocument(child.location, options), child.location, options, problems)
    } catch (error) {
      if (isAbortError(error)) throw error
      problems.push(`child ${locationText(child.location)}: ${reasonOf(error)}`)
      return []
    }
  })
  for (const list of childSources) for (const source of list) add(source)
  return { sources, children: followed.map((c) => ({ href: locationText(c.location), ...(c.title === undefined ? {} : { title: c.title }) })), truncated }
}

/** A document's own items: its item links, its embedded features, and a STAC API's `items` page. */
async function ownItemSources(document: StacJson, base: StacBase, options: StacTextOptions, problems: string[]): Promise<ItemSource[]> {
  if (document.kind === 'Item') return [{ kind: 'embedded', json: document.json, base }]
  const sources: ItemSource[] = []
  if (document.kind === 'ItemCollection') {
    for (const feature of document.json.features as unknown[]) if (isRecord(feature)) sources.push({ kind: 'embedded', json: feature, base })
    return sources
  }
  for (const link of links(document.json, 'item', base, problems)) sources.push({ kind: 'link', location: link.location })
  // A STAC API Collection lists its items behind one link; its first page is read here.
  const [items] = links(document.json, 'items', base, problems)
  if (items && sources.length === 0) {
    try {
      const page = await readDocument(items.location, options)
      if (page.kind !== 'ItemCollection') throw new StacDocumentError(locationText(items.location), `its items link answers a ${page.kind}, not an ItemCollection`)
      sources.push(...(await ownItemSources(page, items.location, options, problems)))
    } catch (error) {
      if (isAbortError(error)) throw error
      problems.push(`items ${locationText(items.location)}: ${reasonOf(error)}`)
    }
  }
  return sources
}

/** The document's links of relation `rel`, resolved; a link with no place Tessera reads is a problem. */
function links(json: Record<string, unknown>, rel: string, base: StacBase, problems: string[]): { location: StacLocation; title?: string }[] {
  if (!Array.isArray(json.links)) return []
  const found: { location: StacLocation; title?: string }[] = []
  for (const link of json.links) {
    if (!isRecord(link) || link.rel !== rel || typeof link.href !== 'string') continue
    const resolved = resolveHref(link.href, base)
    if (resolved.kind === 'none') {
      problems.push(`${rel} ${link.href}: ${resolved.why}`)
      continue
    }
    found.push({ location: resolved, ...(typeof link.title === 'string' ? { title: link.title } : {}) })
  }
  return found
}

async function readItem(source: ItemSource, options: StacTextOptions, problems: string[]): Promise<StacItemSummary | null> {
  try {
    if (source.kind === 'embedded') {
      const checked = checkStacObject(source.json, locationText(source.base))
      if (checked.kind !== 'Item') throw new StacDocumentError(locationText(source.base), `a feature of type ${String(source.json.type)} among its items`)
      return summariseItem(source.json, source.base)
    }
    const document = await readDocument(source.location, options)
    if (document.kind !== 'Item') throw new StacDocumentError(locationText(source.location), `linked as an item, it is a ${document.kind}`)
    return summariseItem(document.json, source.location)
  } catch (error) {
    if (isAbortError(error)) throw error
    const where = source.kind === 'link' ? locationText(source.location) : `${String(source.json.id ?? '(no id)')} in ${locationText(source.base)}`
    problems.push(`item ${where}: ${reasonOf(error)}`)
    return null
  }
}

/** A Collection's `extent.spatial.bbox[0]`. */
function collectionBbox(json: Record<string, unknown>): StacBbox | null {
  const extent = json.extent
  if (!isRecord(extent) || !isRecord(extent.spatial) || !Array.isArray(extent.spatial.bbox)) return null
  return bboxOf(extent.spatial.bbox[0])
}

function fail(href: string, reason: string): never {
  throw new StacDocumentError(href, reason)
}

function reasonOf(error: unknown): string {
  if (error instanceof StacDocumentError) return error.reason
  return error instanceof Error ? error.message : String(error)
}

function lastSegment(href: string): string {
  const parts = href.split(/[?#]/)[0]!.split(/[\\/]/).filter((p) => p !== '')
  return parts.at(-1) ?? href
}

/** `work` over `values`, at most `limit` at once, results in the values' order. */
async function mapLimited<T, R>(values: readonly T[], limit: number, work: (value: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(values.length)
  let next = 0
  const run = async (): Promise<void> => {
    while (next < values.length) {
      const index = next++
      results[index] = await work(values[index]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, values.length) }, run))
  return results
}
