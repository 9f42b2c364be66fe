/**
 * STAC over HTTP (issue 25) against a real nginx: an Item and a static Catalog (a root with two
 * children) served beside COGs that GDAL wrote, read through the service's `stac-read` call. The
 * items list with their footprints, every href resolves to the URL nginx serves it at (GDAL reads
 * each COG at its resolved URL: the reference), a child the server answers 404 is named, and the
 * refusals name the URL: a 404 document, an HTML error page, a document too large, a server's
 * document pointing at the host's files. nginx and GDAL are required: without them this fails.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TextureService } from '../../src/main/service/TextureService'
import type { StacCatalogSummary, StacDocument, StacItemSummary } from '../../src/shared/stac'
import type { ServerMessage } from '../../src/shared/protocol'
import { gdal, requireGdal } from '../helpers/gdal'
import { tempDir } from '../helpers/images'
import { requireNginx, startNginx, type NginxServer } from '../helpers/nginx'
import { MemorySink, serviceCall } from '../helpers/serviceFixtures'

const tmp = tempDir('tessera-stac-http-')
let nginx: NginxServer
let service: TextureService
let callId = 1

/** A COG of `side`² pixels over [w, s, e, n] in WGS 84, every pixel `value`. */
async function writeCog(name: string, bounds: [number, number, number, number], value: number): Promise<void> {
  const [w, s, e, n] = bounds
  const plain = join(tmp.dir, `${name}.plain.tif`)
  await gdal('gdal_create', ['-q', '-of', 'GTiff', '-outsize', '256', '256', '-bands', '1', '-ot', 'Byte', '-burn', String(value), '-a_srs', 'EPSG:4326', '-a_ullr', `${w}`, `${n}`, `${e}`, `${s}`, plain])
  await gdal('gdal_translate', ['-q', '-of', 'COG', '-co', 'BLOCKSIZE=256', plain, join(tmp.dir, 'site', 'cogs', `${name}.tif`)])
}

function writeJson(path: string, value: unknown): void {
  mkdirSync(join(tmp.dir, 'site', path, '..'), { recursive: true, mode: 0o755 })
  writeFileSync(join(tmp.dir, 'site', path), JSON.stringify(value))
}

function item(id: string, bbox: [number, number, number, number], datetime: string, assets: Record<string, unknown>): Record<string, unknown> {
  const [w, s, e, n] = bbox
  const ring = [[w, s], [e, s], [e, n], [w, n], [w, s]]
  return { type: 'Feature', stac_version: '1.0.0', id, bbox, geometry: { type: 'Polygon', coordinates: [ring] }, properties: { datetime }, links: [], assets }
}

const COG_TYPE = 'image/tiff; application=geotiff; profile=cloud-optimized'

async function stacRead(href: string, first?: number): Promise<StacDocument> {
  return serviceCall<StacDocument>(service, { type: 'stac-read', id: callId++, href, ...(first === undefined ? {} : { first }) })
}

async function stacRefusal(href: string): Promise<string> {
  const reply = (await service.receive({ type: 'stac-read', id: callId++, href })) as ServerMessage
  if (reply.type !== 'reply-error') throw new Error(`expected a refusal of ${href}, got ${JSON.stringify(reply)}`)
  expect(reply.error.code).toBe('open-failed')
  return reply.error.message
}

/** GDAL's own reading of a URL: its size and corner (the reference that the href is the COG). */
async function gdalInfo(url: string): Promise<{ size: [number, number]; cornerCoordinates: { upperLeft: [number, number] } }> {
  return JSON.parse(await gdal('gdalinfo', ['-json', `/vsicurl/${url}`])) as { size: [number, number]; cornerCoordinates: { upperLeft: [number, number] } }
}

beforeAll(async () => {
  requireGdal()
  requireNginx()
  chmodSync(tmp.dir, 0o755) // nginx's workers run as nobody
  mkdirSync(join(tmp.dir, 'site', 'cogs'), { recursive: true, mode: 0o755 })
  await writeCog('west', [5.0, 50.0, 5.5, 50.5], 60)
  await writeCog('east', [5.5, 50.0, 6.0, 50.5], 200)
  // An Item at the root, its COG asset relative to it.
  writeJson('items/west.json', item('west', [5.0, 50.0, 5.5, 50.5], '2021-06-01T00:00:00Z', {
    data: { href: '../cogs/west.tif', type: COG_TYPE, roles: ['data'] },
    preview: { href: 'west.png', type: 'image/png', roles: ['overview'] },
    local: { href: 'file:///etc/hostname', type: COG_TYPE }
  }))
  // A static catalog: two children, one of which the server does not have.
  writeJson('catalog/catalog.json', { type: 'Catalog', stac_version: '1.0.0', id: 'root', description: 'root', links: [
    { rel: 'child', href: './east/collection.json', title: 'East' },
    { rel: 'child', href: './gone/catalog.json' },
    { rel: 'item', href: '../items/west.json' }
  ] })
  writeJson('catalog/east/collection.json', { type: 'Collection', stac_version: '1.1.0', id: 'east', description: 'east', license: 'CC0-1.0',
    extent: { spatial: { bbox: [[5.5, 50.0, 6.0, 50.5]] }, temporal: { interval: [[null, null]] } },
    links: [{ rel: 'item', href: 'east-item.json' }] })
  writeJson('catalog/east/east-item.json', item('east', [5.5, 50.0, 6.0, 50.5], '2022-03-04T00:00:00Z', { cog: { href: '/cogs/east.tif', type: COG_TYPE, roles: ['data'] } }))
  writeFileSync(join(tmp.dir, 'site', 'error.json'), '<!DOCTYPE html><html><body>Service unavailable</body></html>')
  writeFileSync(join(tmp.dir, 'site', 'huge.json'), JSON.stringify({ type: 'Catalog', stac_version: '1.0.0', id: 'huge', description: 'x'.repeat(17 * 1024 * 1024), links: [] }))
  nginx = await startNginx(join(tmp.dir, 'site'))
  service = new TextureService({ sink: new MemorySink(), openRaster: async () => { throw new Error('no raster opens in these tests') }, maxWorkers: 1, mayOpenPath: () => false })
}, 60_000)

afterAll(async () => {
  await service?.close()
  await nginx?.stop()
  tmp.cleanup()
})

describe('stac-read over HTTP', () => {
  it('reads an Item: its footprint, datetime and assets, the COG asset resolved to the URL GDAL reads it at', async () => {
    const document = await stacRead(nginx.url('/items/west.json'))
    expect(document.kind).toBe('Item')
    const { item: west } = document as { item: StacItemSummary }
    expect(west).toMatchObject({ id: 'west', datetime: '2021-06-01T00:00:00Z', bbox: [5, 50, 5.5, 50.5], href: nginx.url('/items/west.json') })
    const data = west.assets.find((a) => a.key === 'data')!
    expect(data).toMatchObject({ href: nginx.url('/cogs/west.tif'), location: 'url', openable: true, cloudOptimized: true })
    const info = await gdalInfo(data.href)
    expect(info.size).toEqual([256, 256])
    expect(info.cornerCoordinates.upperLeft).toEqual([5, 50.5])
    expect(west.assets.find((a) => a.key === 'preview')).toMatchObject({ href: nginx.url('/items/west.png'), openable: false })
    expect(west.assets.find((a) => a.key === 'local')).toMatchObject({ location: 'none', openable: false, why: 'a document from a server cannot point at files on this computer' })
  })

  it('lists a static Catalog’s items, its own and its children’s, with footprints; a child the server lacks is named', async () => {
    const document = (await stacRead(nginx.url('/catalog/catalog.json'))) as StacCatalogSummary
    expect(document).toMatchObject({ kind: 'Catalog', id: 'root', itemCount: 2, truncated: false })
    expect(document.items.map((i) => [i.id, i.datetime, i.bbox])).toEqual([
      ['west', '2021-06-01T00:00:00Z', [5, 50, 5.5, 50.5]],
      ['east', '2022-03-04T00:00:00Z', [5.5, 50, 6, 50.5]]
    ])
    expect(document.children).toEqual([{ href: nginx.url('/catalog/east/collection.json'), title: 'East' }, { href: nginx.url('/catalog/gone/catalog.json') }])
    expect(document.problems).toEqual([`child ${nginx.url('/catalog/gone/catalog.json')}: HTTP 404 Not Found`])
    const eastCog = document.items[1]!.assets[0]!
    expect(eastCog).toMatchObject({ href: nginx.url('/cogs/east.tif'), openable: true })
    expect((await gdalInfo(eastCog.href)).cornerCoordinates.upperLeft).toEqual([5.5, 50.5])
  })

  it('reads the next page from `first`', async () => {
    const page = (await stacRead(nginx.url('/catalog/catalog.json'), 1)) as StacCatalogSummary
    expect(page.first).toBe(1)
    expect(page.items.map((i) => i.id)).toEqual(['east'])
  })

  it('refuses a 404, an HTML error page and a document over the size limit, naming the URL', async () => {
    expect(await stacRefusal(nginx.url('/nothing.json'))).toBe(`Cannot read STAC ${nginx.url('/nothing.json')}: HTTP 404 Not Found`)
    expect(await stacRefusal(nginx.url('/error.json'))).toMatch(new RegExp(`^Cannot read STAC ${nginx.url('/error.json')}: not a STAC document: it is not JSON \\(it looks like HTML or XML\\)`))
    expect(await stacRefusal(nginx.url('/huge.json'))).toBe(`Cannot read STAC ${nginx.url('/huge.json')}: the document is larger than 16 MiB, the limit of a STAC document`)
  })

  it('refuses a host path where the host opens no paths', async () => {
    expect(await stacRefusal(join(tmp.dir, 'site', 'items', 'west.json'))).toMatch(/reading files by path is not allowed from this page/)
  })
})
