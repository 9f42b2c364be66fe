/**
 * STAC in the page (issue 25), the pure parts: which URLs and files are read as STAC, which assets
 * open and how, the opener's failures said without repeating the document's name, and footprints
 * taken into the view's world and hit by a click.
 */
import { describe, expect, it } from 'vitest'
import { StacOpener, assetsToOpen, looksLikeStac } from '../../src/renderer/session/openStac'
import { footprintAt, footprintInWorld, insideRing } from '../../src/renderer/ui/stacFootprints'
import type { StacAsset, StacDocument } from '../../src/shared/stac'

const asset = (key: string, href: string, location: StacAsset['location'], openable: boolean): StacAsset => ({ key, href, location, openable, roles: [], cloudOptimized: false })

describe('looksLikeStac', () => {
  it('takes an address or file name ending in .json, its query and fragment aside', () => {
    expect(looksLikeStac('https://h/stac/catalog.json')).toBe(true)
    expect(looksLikeStac('https://h/items/a.JSON?token=1#x')).toBe(true)
    expect(looksLikeStac('item.json')).toBe(true)
    expect(looksLikeStac('https://h/cog.tif')).toBe(false)
    expect(looksLikeStac('https://h/search?f=a.json')).toBe(false)
  })
})

describe('assetsToOpen', () => {
  it('opens URLs by URL and paths as files, each once, never one Tessera cannot open', () => {
    const chosen = [asset('a', 'http://h/a.tif', 'url', true), asset('b', '/d/b.tif', 'path', true), asset('c', 'http://h/c.png', 'url', false), asset('d', 's3://x', 'none', false), asset('e', 'http://h/a.tif', 'url', true)]
    expect(assetsToOpen(chosen)).toEqual({ urls: ['http://h/a.tif'], paths: ['/d/b.tif'] })
  })
})

describe('StacOpener', () => {
  it('shows what the host read, and says a failure once, naming the document', async () => {
    const shown: StacDocument[] = []
    const said: string[] = []
    const item: StacDocument = { kind: 'Item', stacVersion: '1.0.0', item: { id: 'x', href: 'http://h/x.json', datetime: null, bbox: null, geometry: null, assets: [] } }
    const opener = new StacOpener({
      read: async ({ href }) => {
        if (href.endsWith('bad.json')) throw new Error(`Cannot read STAC ${href}: HTTP 404 Not Found`)
        return item
      },
      openUrls: async () => undefined,
      openPath: async () => { throw new Error('no path') },
      show: (document) => shown.push(document),
      messages: { show: (title, message) => said.push(`${title} | ${message}`) }
    })
    expect(await opener.openHref('http://h/x.json')).toBe(item)
    expect(shown).toEqual([item])
    expect(await opener.openHref('http://h/bad.json')).toBeNull()
    expect(said).toEqual(['Cannot read STAC http://h/bad.json | HTTP 404 Not Found'])
    expect(shown).toHaveLength(1)
  })
})

describe('footprints on the view', () => {
  const square = { bbox: [5, 50, 6, 51] as [number, number, number, number], geometry: null }

  it('are world points (lon, −lat) in a view in EPSG:4326, and nothing without a CRS', () => {
    const [ring] = footprintInWorld(square, 'EPSG:4326')
    expect(ring![0]).toEqual({ x: 5, y: -50 })
    expect(ring!.some((p) => Math.abs(p.x - 6) < 1e-9 && Math.abs(p.y + 51) < 1e-9)).toBe(true)
    expect(footprintInWorld(square, null)).toEqual([])
  })

  it('are reprojected into Web Mercator, as proj4js puts them', () => {
    const [ring] = footprintInWorld(square, 'EPSG:3857')
    expect(ring![0]!.x).toBeCloseTo(556597.45, 1)
    expect(ring![0]!.y).toBeCloseTo(-6446275.84, 1)
  })

  it('are hit inside, the smallest of several first, and missed outside', () => {
    const big = [[{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }, { x: 0, y: 10 }]]
    const small = [[{ x: 2, y: 2 }, { x: 4, y: 2 }, { x: 4, y: 4 }, { x: 2, y: 4 }]]
    expect(insideRing({ x: 5, y: 5 }, big[0]!)).toBe(true)
    expect(footprintAt({ x: 3, y: 3 }, [big, small])).toBe(1)
    expect(footprintAt({ x: 8, y: 8 }, [big, small])).toBe(0)
    expect(footprintAt({ x: 11, y: 3 }, [big, small])).toBe(-1)
  })
})
