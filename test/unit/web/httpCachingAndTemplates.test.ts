import { describe, expect, it } from 'vitest'
import { cacheableHeaders, isFresh, refreshedHeaders, revalidationHeaders } from '../../../src/main/web/httpCaching'
import { isXyzTemplate, parseXyzTemplate, xyzTileUrl } from '../../../src/main/web/xyzTemplate'
import { xyzLayerGrid } from '../../../src/main/web/xyzGrid'

const now = Date.parse('2026-01-01T00:00:00Z')
const headers = (init: Record<string, string>) => new Headers(init)

describe('HTTP caching of web answers', () => {
  it('keeps an answer fresh for its max-age, before Expires', () => {
    const kept = cacheableHeaders(headers({ 'cache-control': 'public, max-age=60', expires: 'Thu, 01 Jan 2026 10:00:00 GMT' }), now)!
    expect(kept.freshForMs).toBe(60_000)
    expect(isFresh(kept, now + 59_000)).toBe(true)
    expect(isFresh(kept, now + 61_000)).toBe(false)
  })

  it('takes Expires − Date without max-age, and a tenth of the age since Last-Modified without either', () => {
    expect(cacheableHeaders(headers({ date: 'Thu, 01 Jan 2026 00:00:00 GMT', expires: 'Thu, 01 Jan 2026 00:10:00 GMT' }), now)!.freshForMs).toBe(600_000)
    expect(cacheableHeaders(headers({ date: 'Thu, 01 Jan 2026 00:00:00 GMT', 'last-modified': 'Wed, 31 Dec 2025 23:00:00 GMT' }), now)!.freshForMs).toBe(360_000)
  })

  it('keeps nothing of no-store, nor of an answer with neither lifetime nor validator', () => {
    expect(cacheableHeaders(headers({ 'cache-control': 'no-store', etag: '"a"' }), now)).toBeNull()
    expect(cacheableHeaders(headers({ 'content-type': 'image/png' }), now)).toBeNull()
  })

  it('keeps a no-cache answer with its ETag, to be revalidated before every use', () => {
    const kept = cacheableHeaders(headers({ 'cache-control': 'no-cache', etag: '"v1"', 'last-modified': 'Wed, 31 Dec 2025 23:00:00 GMT' }), now)!
    expect(isFresh(kept, now)).toBe(false)
    expect(revalidationHeaders(kept)).toEqual({ 'If-None-Match': '"v1"', 'If-Modified-Since': 'Wed, 31 Dec 2025 23:00:00 GMT' })
    const refreshed = refreshedHeaders(kept, headers({ 'cache-control': 'max-age=10', etag: '"v1"' }), now + 5000)!
    expect(refreshed).toMatchObject({ storedAt: now + 5000, freshForMs: 10_000, etag: '"v1"' })
  })
})

describe('XYZ and TMS templates', () => {
  it('fills {z}/{x}/{y}, counts {-y} from the south, and picks a subdomain from a range, the same for a tile every time', () => {
    const template = parseXyzTemplate('https://{a-c}.tile.example.org/{z}/{x}/{y}.png')
    expect(template.subdomains).toEqual(['a', 'b', 'c'])
    expect(xyzTileUrl(template, 3, 4, 2)).toBe('https://a.tile.example.org/3/4/2.png')
    expect(xyzTileUrl(template, 3, 4, 2)).toBe(xyzTileUrl(template, 3, 4, 2))
    expect(xyzTileUrl(parseXyzTemplate('http://h/{z}/{x}/{-y}.png'), 3, 4, 2)).toBe('http://h/3/4/5.png')
    expect(xyzTileUrl(parseXyzTemplate('http://{s}.h/{z}/{x}/{y}.png'), 1, 1, 0)).toBe('http://b.h/1/1/0.png')
  })

  it('refuses a URL without {z}, {x} and {y}', () => {
    expect(isXyzTemplate('http://h/wms')).toBe(false)
    expect(() => parseXyzTemplate('http://h/{z}/{x}.png')).toThrow('it needs {z}, {x} and {y}')
  })

  it('makes level 0 zoom 19 of Web Mercator, 256 px tiles, the world square placed by its corner', () => {
    const grid = xyzLayerGrid('http://h/{z}/{x}/{y}.png')
    expect(grid.crs).toBe('EPSG:3857')
    expect(grid.levels).toHaveLength(20)
    expect(grid.width).toBe(256 * 2 ** 19)
    expect(grid.geoTransform[0]).toBeCloseTo(-20037508.342789244, 6)
    expect(grid.geoTransform[1] * grid.width).toBeCloseTo(2 * 20037508.342789244, 3)
    expect(grid.request(19, 0, 0)!.url).toBe('http://h/0/0/0.png')
    expect(grid.request(2, 5, 7)!.url).toBe('http://h/17/5/7.png')
  })
})
