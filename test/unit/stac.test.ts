/**
 * STAC documents read by the host (issue 25), on the small documents of test/fixtures/stac: the
 * kinds told apart and the refusals in words (not JSON, not STAC, an unsupported version), hrefs
 * resolved against the document's own place (a path or a URL; a server's document never leading
 * to the host's files), assets judged openable, footprints, and a Collection's or static Catalog's
 * items listed one level down, a page at a time.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readStac, StacDocumentError } from '../../src/main/stac'
import { parseStacJson } from '../../src/main/stac/stacJson'
import { summariseItem, mediaType } from '../../src/main/stac/stacItem'
import { resolveHref } from '../../src/main/stac/stacLocation'
import { footprintRings, STAC_LIMITS, type StacCatalogSummary, type StacDocument, type StacItemSummary } from '../../src/shared/stac'

const FIXTURES = resolve(__dirname, '../fixtures/stac')
const fixture = (name: string): string => join(FIXTURES, name)
const anyPath = { mayReadPath: () => true }

function asCatalog(document: StacDocument): StacCatalogSummary {
  if (document.kind === 'Item') throw new Error('expected a Collection or Catalog')
  return document
}

function asItem(document: StacDocument): StacItemSummary {
  if (document.kind !== 'Item') throw new Error(`expected an Item, got a ${document.kind}`)
  return document.item
}

describe('parseStacJson', () => {
  it('tells an Item, a Collection, a Catalog and an ItemCollection apart', () => {
    expect(parseStacJson(readFileSync(fixture('item.json'), 'utf8'), 'item.json').kind).toBe('Item')
    expect(parseStacJson(readFileSync(fixture('collection.json'), 'utf8'), 'c').kind).toBe('Collection')
    expect(parseStacJson(readFileSync(fixture('catalog/catalog.json'), 'utf8'), 'c').kind).toBe('Catalog')
    expect(parseStacJson(readFileSync(fixture('item-collection.json'), 'utf8'), 'c').kind).toBe('ItemCollection')
  })

  it('refuses text that is not JSON, naming the document and saying it looks like HTML', () => {
    expect(() => parseStacJson('<html>502</html>', 'https://x/cat.json')).toThrow(/^Cannot read STAC https:\/\/x\/cat\.json: not a STAC document: it is not JSON \(it looks like HTML or XML\)/)
  })

  it('refuses JSON that is not a STAC document, saying what it is', () => {
    expect(() => parseStacJson(readFileSync(fixture('not-stac.json'), 'utf8'), 'f.json')).toThrow('Cannot read STAC f.json: not a STAC document: a JSON object of type "Feature" without stac_version')
    expect(() => parseStacJson('[1, 2]', 'a.json')).toThrow('not a STAC document: its JSON is an array, not an object')
    expect(() => parseStacJson('{"stac_version": "1.0.0", "type": "Point"}', 'p.json')).toThrow('its type is "Point"; expected "Feature" (an Item), "Collection" or "Catalog"')
    expect(() => parseStacJson('{"type": "FeatureCollection", "features": [{"type": "Feature"}]}', 'fc.json')).toThrow('whose features are not STAC Items')
  })

  it('refuses a STAC version other than 1.x by its words', () => {
    expect(() => parseStacJson(readFileSync(fixture('old-version.json'), 'utf8'), 'old.json')).toThrow('Cannot read STAC old.json: STAC version 0.9.0 is not supported: Tessera reads STAC 1.x')
    expect(() => parseStacJson('{"type": "Feature", "stac_version": 1}', 'n.json')).toThrow('its stac_version is not a string (1)')
    expect(parseStacJson('{"type": "Catalog", "stac_version": "1.0.0-rc.2"}', 'rc.json').version).toBe('1.0.0-rc.2')
  })
})

describe('resolveHref', () => {
  const docUrl = { kind: 'url' as const, url: 'http://host:8080/stac/catalog/catalog.json' }
  const docPath = { kind: 'path' as const, path: '/data/stac/catalog.json' }

  it('resolves relative hrefs against a document URL, as URLs resolve', () => {
    expect(resolveHref('./north/catalog.json', docUrl)).toEqual({ kind: 'url', url: 'http://host:8080/stac/catalog/north/catalog.json' })
    expect(resolveHref('../data/a%20b.tif', docUrl)).toEqual({ kind: 'url', url: 'http://host:8080/stac/data/a%20b.tif' })
    expect(resolveHref('/root.json', docUrl)).toEqual({ kind: 'url', url: 'http://host:8080/root.json' })
    expect(resolveHref('https://other.example/x.tif', docUrl)).toEqual({ kind: 'url', url: 'https://other.example/x.tif' })
  })

  it('never leads a server document to the host files, nor to schemes it does not fetch', () => {
    expect(resolveHref('file:///etc/passwd', docUrl)).toMatchObject({ kind: 'none', why: 'a document from a server cannot point at files on this computer' })
    expect(resolveHref('s3://bucket/key.tif', docUrl)).toMatchObject({ kind: 'none', why: 's3: addresses are not read (Tessera fetches http and https)' })
    expect(resolveHref('  ', docUrl)).toMatchObject({ kind: 'none', why: 'its href is empty' })
  })

  it('resolves relative hrefs against a document path, its %-escapes decoded', () => {
    expect(resolveHref('./data/dem%20cog.tif', docPath)).toEqual({ kind: 'path', path: '/data/stac/data/dem cog.tif' })
    expect(resolveHref('../x.json', docPath)).toEqual({ kind: 'path', path: '/data/x.json' })
    expect(resolveHref('/abs/n2.tif', docPath)).toEqual({ kind: 'path', path: '/abs/n2.tif' })
    expect(resolveHref('file:///abs/n3.tif', docPath)).toEqual({ kind: 'path', path: '/abs/n3.tif' })
    expect(resolveHref('http://h/x.tif', docPath)).toEqual({ kind: 'url', url: 'http://h/x.tif' })
  })

  it('leads nowhere from a document sent without its place, but to absolute URLs', () => {
    const dropped = { kind: 'detached' as const, name: 'item.json' }
    expect(resolveHref('./a.tif', dropped)).toMatchObject({ kind: 'none', why: 'item.json was given without its place: open it by its URL or path to reach what it points at' })
    expect(resolveHref('https://h/a.tif', dropped)).toEqual({ kind: 'url', url: 'https://h/a.tif' })
  })
})

describe('summariseItem', () => {
  const json = JSON.parse(readFileSync(fixture('item.json'), 'utf8')) as Record<string, unknown>

  it('gives the id, title, datetime, bbox and geometry of an Item', () => {
    const item = summariseItem(json, { kind: 'url', url: 'http://h/stac/item.json' })
    expect(item).toMatchObject({ id: 'dem-2021', title: 'DEM 2021', datetime: '2021-06-01T10:00:00Z', bbox: [5, 50, 5.5, 50.25], href: 'http://h/stac/item.json' })
    expect(item.geometry?.type).toBe('Polygon')
    expect(footprintRings(item)).toEqual([[[5, 50], [5.5, 50], [5.5, 50.25], [5, 50.25], [5, 50]]])
  })

  it('resolves every asset href and says which Tessera opens, and why not the others', () => {
    const item = summariseItem(json, { kind: 'url', url: 'http://h/stac/item.json' })
    const byKey = Object.fromEntries(item.assets.map((a) => [a.key, a]))
    expect(byKey.dem).toMatchObject({ href: 'http://h/stac/data/dem%20cog.tif', location: 'url', openable: true, cloudOptimized: true, title: 'Elevation', roles: ['data'] })
    expect(byKey.plain).toMatchObject({ href: 'http://h/stac/data/plain.TIF', openable: true, cloudOptimized: false })
    expect(byKey.remote).toMatchObject({ href: 'https://example.com/cogs/ortho.tif', openable: true, cloudOptimized: false })
    expect(byKey.thumbnail).toMatchObject({ href: 'http://h/stac/thumb.png', openable: false, why: 'image/png is not a GeoTIFF' })
    expect(byKey.bucket).toMatchObject({ href: 's3://bucket/key.tif', location: 'none', openable: false, why: 's3: addresses are not read (Tessera fetches http and https)' })
    expect(byKey.metadata).toMatchObject({ href: 'http://h/meta.xml', openable: false })
  })

  it('takes a 3-D bbox as its 2-D one, and a start/end range when datetime is null', async () => {
    const item = asItem(await readStac(fixture('catalog/north/items/n2.json'), anyPath))
    expect(item).toMatchObject({ bbox: [5.5, 50.25, 6, 50.5], geometry: null, datetime: null, startDatetime: '2020-01-01T00:00:00Z', endDatetime: '2020-12-31T23:59:59Z' })
    expect(item.assets[0]).toMatchObject({ href: '/abs/n2.tif', location: 'path', openable: true })
    expect(footprintRings(item)).toEqual([[[5.5, 50.25], [6, 50.25], [6, 50.5], [5.5, 50.5], [5.5, 50.25]]])
  })

  it('reads a media type without regard to case or spaces', () => {
    const media = mediaType('Image/TIFF ;application=geotiff;  Profile="Cloud-Optimized"')
    expect(media.essence).toBe('image/tiff')
    expect(media.params.get('profile')).toBe('cloud-optimized')
  })
})

describe('readStac', () => {
  it('reads an Item by its path, its relative assets resolved to paths beside it', async () => {
    const document = await readStac(fixture('item.json'), anyPath)
    expect(document.stacVersion).toBe('1.0.0')
    const dem = asItem(document).assets.find((a) => a.key === 'dem')!
    expect(dem).toMatchObject({ href: join(FIXTURES, 'data/dem cog.tif'), location: 'path', openable: true })
  })

  it('lists a Collection’s item links, each document once, with their footprints', async () => {
    const collection = asCatalog(await readStac(fixture('collection.json'), anyPath))
    expect(collection).toMatchObject({ kind: 'Collection', id: 'dems', title: 'DEMs', bbox: [5, 50, 6, 50.5], itemCount: 2, first: 0, truncated: false, problems: [] })
    expect(collection.items.map((i) => i.id)).toEqual(['dem-2021', 'n1'])
    const n1 = collection.items[1]!
    expect(n1.geometry?.type).toBe('MultiPolygon')
    expect(footprintRings(n1)).toEqual([[[5, 50.25], [5.5, 50.25], [5.5, 50.5], [5, 50.5], [5, 50.25]]])
    expect(n1.assets[0]).toMatchObject({ href: join(FIXTURES, 'data/n1.tif'), openable: true })
  })

  it('lists a static Catalog’s items through its children, one level down, and names what it could not read', async () => {
    const catalog = asCatalog(await readStac(fixture('catalog/catalog.json'), anyPath))
    // Four item links; one is no Item.
    expect(catalog).toMatchObject({ kind: 'Catalog', id: 'root', itemCount: 4 })
    expect(catalog.children.map((c) => c.title)).toEqual(['North', 'South', undefined])
    expect(catalog.items.map((i) => i.id)).toEqual(['n1', 'n2', 's1'])
    expect(catalog.problems).toHaveLength(2)
    expect(catalog.problems).toContain(`child ${join(FIXTURES, 'catalog/missing/catalog.json')}: no such file`)
    expect(catalog.problems).toContain(`item ${join(FIXTURES, 'catalog/south/not-an-item.json')}: not a STAC document: a GeoJSON FeatureCollection whose features are not STAC Items (no stac_version)`)
    // Two levels down is not followed.
    expect(catalog.problems.join('\n')).not.toContain('deeper')
  })

  it('pages the items from `first`', async () => {
    const page = asCatalog(await readStac(fixture('catalog/catalog.json'), { ...anyPath, first: 2 }))
    expect(page.first).toBe(2)
    expect(page.itemCount).toBe(4)
    expect(page.items.map((i) => i.id)).toEqual(['s1'])
    expect(page.problems).toHaveLength(2)
  })

  it('lists the Items of an ItemCollection', async () => {
    const list = asCatalog(await readStac(fixture('item-collection.json'), anyPath))
    expect(list).toMatchObject({ kind: 'Catalog', id: 'item-collection.json', itemCount: 2 })
    expect(list.items.map((i) => i.id)).toEqual(['ic1', 'ic2'])
    expect(list.items[0]!.assets[0]).toMatchObject({ href: join(FIXTURES, 'a.tif'), location: 'path' })
  })

  it('reads a document the page sent, its relative hrefs leading nowhere', async () => {
    const item = asItem(await readStac('item.json', { mayReadPath: () => false, text: readFileSync(fixture('item.json'), 'utf8') }))
    const byKey = Object.fromEntries(item.assets.map((a) => [a.key, a]))
    expect(byKey.dem).toMatchObject({ location: 'none', openable: false, why: 'item.json was given without its place: open it by its URL or path to reach what it points at' })
    expect(byKey.remote).toMatchObject({ location: 'url', openable: true })
  })

  it('refuses a path where the host reads no paths, a missing file, a bad document, a too-large one', async () => {
    await expect(readStac(fixture('item.json'), { mayReadPath: () => false })).rejects.toThrow(`Cannot read STAC ${fixture('item.json')}: reading files by path is not allowed from this page`)
    await expect(readStac(fixture('nothing.json'), anyPath)).rejects.toThrow(`Cannot read STAC ${fixture('nothing.json')}: no such file`)
    await expect(readStac(fixture('error-page.json'), anyPath)).rejects.toThrow(/it is not JSON \(it looks like HTML or XML\)/)
    await expect(readStac(fixture('old-version.json'), anyPath)).rejects.toBeInstanceOf(StacDocumentError)
    await expect(readStac(fixture('item.json'), { ...anyPath, maxBytes: 100 })).rejects.toThrow(/the document is larger than 100 bytes, the limit of a STAC document \([\d.]+ KiB\)/)
    await expect(readStac('ftp://host/cat.json', anyPath)).rejects.toThrow('Cannot read STAC ftp://host/cat.json: ftp: addresses are not read')
  })

  it('lists at most STAC_LIMITS.maxItems item links, says so, and reads a page of them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-stac-'))
    try {
      const count = STAC_LIMITS.maxItems + 7
      const links = Array.from({ length: count }, (_, i) => ({ rel: 'item', href: `./i${i}.json` }))
      writeFileSync(join(dir, 'catalog.json'), JSON.stringify({ type: 'Catalog', stac_version: '1.0.0', id: 'many', description: '', links }))
      for (let i = 0; i < count; i++) {
        writeFileSync(join(dir, `i${i}.json`), JSON.stringify({ type: 'Feature', stac_version: '1.0.0', id: `i${i}`, bbox: [0, 0, 1, 1], geometry: null, properties: { datetime: null }, links: [], assets: {} }))
      }
      const first = asCatalog(await readStac(join(dir, 'catalog.json'), anyPath))
      expect(first).toMatchObject({ itemCount: STAC_LIMITS.maxItems, truncated: true, first: 0 })
      expect(first.items.map((i) => i.id)).toEqual(Array.from({ length: STAC_LIMITS.pageSize }, (_, i) => `i${i}`))
      const last = asCatalog(await readStac(join(dir, 'catalog.json'), { ...anyPath, first: STAC_LIMITS.maxItems - 3 }))
      expect(last.items.map((i) => i.id)).toEqual([`i${STAC_LIMITS.maxItems - 3}`, `i${STAC_LIMITS.maxItems - 2}`, `i${STAC_LIMITS.maxItems - 1}`])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
