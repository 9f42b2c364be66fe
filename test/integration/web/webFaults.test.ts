/**
 * Web layers under faults (issue 25), against MapServer's WMS behind fcgiwrap and nginx with the
 * fault proxy in front. MapServer writes the GetMap address of its capabilities itself, and a
 * client follows it (as QGIS does), so each proxy gets a mapfile of its own whose
 * `wms_onlineresource` is the proxy: capabilities and GetMaps both go through it. The other layer
 * of each test is the same server's DEM asked at nginx directly.
 */
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Raster } from '../../../src/main/raster/Raster'
import { fetchServiceDocument } from '../../../src/main/web/capabilities'
import { type FaultProxy, startFaultProxy } from '../../helpers/faultProxy'
import { writeMapfile } from '../../helpers/mapserver'
import { tileGrid, tileRect } from '../../../src/shared/tiles'
import { useWebServices } from '../../helpers/webServices'

const web = useWebServices('web-faults')
const { freshCache, open } = web
const proxies: FaultProxy[] = []

afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()))
})

let count = 0

/** A proxy in front of nginx and the capabilities URL of a mapfile that names the proxy as its GetMap address. */
async function proxiedWms(): Promise<{ proxy: FaultProxy; url: string }> {
  const proxy = await startFaultProxy(web.nginx.port)
  proxies.push(proxy)
  const name = `proxied${++count}`
  const mapfile = join(web.dir, `${name}.map`)
  expect(writeMapfile(web.data, name, { onlineResource: proxy.url(`/wms?map=${mapfile}&`) })).toBe(mapfile)
  return { proxy, url: proxy.url(`/wms?map=${mapfile}`) }
}

/** The orthophoto through `url`, and the DEM at nginx directly (the other layer), both in EPSG:31370. */
async function twoLayers(url: string): Promise<{ ortho: Raster; dem: Raster }> {
  const [ortho, dem] = await Promise.all([
    open({ service: 'wms', url, layer: 'ortho', viewCrs: 'EPSG:31370', format: 'image/png' }),
    open({ service: 'wms', url: web.nginx.url('/wms'), layer: 'dem', viewCrs: 'EPSG:31370', format: 'image/png' })
  ])
  return { ortho, dem }
}

const getMaps = (proxy: FaultProxy): number => proxy.requests.filter((r) => /REQUEST=GetMap/i.test(r.url)).length

/** Settles `promise` and says whether it had settled when `check` ran (so an ordering, not a time, is asserted). */
function tracked<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let done = false
  const watched = promise.finally(() => (done = true))
  watched.catch(() => undefined)
  return { promise: watched, settled: () => done }
}

describe('WMS through the fault proxy', () => {
  it("asks GetMap at the capabilities' own address, the proxy", async () => {
    const { proxy, url } = await proxiedWms()
    const document = await fetchServiceDocument(url, freshCache())
    if (document.service !== 'wms') throw new Error('expected a WMS')
    expect(document.wms.getMapUrl.startsWith(proxy.url('/wms?map='))).toBe(true)
    const { ortho } = await twoLayers(url)
    const tile = await ortho.readTile(ortho.info.levels.length - 1, 0, 0)
    expect(tile.width).toBeGreaterThan(0)
    expect(getMaps(proxy)).toBe(1)
  })

  it('sends at most 6 GetMaps at once to one host, answers them all, and holds no other host back', { timeout: 30_000 }, async () => {
    const { proxy, url } = await proxiedWms()
    const { ortho, dem } = await twoLayers(url)
    proxy.reset()
    proxy.always = { latencyMs: 200 }
    // 18 tiles of the finest levels: three rounds of six behind the 200 ms.
    const addresses: [number, number, number][] = []
    for (const level of [0, 1, 2]) {
      const { cols, rows } = tileGrid(ortho.info.levels[level]!, ortho.info.tileSize)
      for (let row = 0; row < rows && addresses.length < 18; row++) {
        for (let col = 0; col < cols && addresses.length < 18; col++) addresses.push([level, col, row])
      }
    }
    expect(addresses).toHaveLength(18)
    const all = Promise.all(addresses.map((address) => ortho.readTile(...address)))
    // While they wait their turn, a tile of the other host (nginx itself) is not queued behind them.
    while (getMaps(proxy) === 0) await new Promise((r) => setTimeout(r, 5))
    await dem.readTile(dem.info.levels.length - 1, 0, 0)
    const proxiedWhenTheOtherArrived = getMaps(proxy)
    const tiles = await all
    expect(tiles.every((tile) => tile.width > 0)).toBe(true)
    await proxy.idle()
    console.log(`[web] 18 GetMaps 200 ms slow: at most ${proxy.peakConcurrent()} at once at the proxy; ${proxiedWhenTheOtherArrived} had reached it when the other host's tile arrived`)
    expect(getMaps(proxy)).toBe(18)
    expect(proxy.peakConcurrent()).toBe(6)
    expect(proxiedWhenTheOtherArrived).toBeLessThan(18)
  })

  it('with a server 200 ms slow: its tiles arrive, the other layer does not wait for them, a withdrawn GetMap is aborted', { timeout: 30_000 }, async () => {
    const { proxy, url } = await proxiedWms()
    const { ortho, dem } = await twoLayers(url)
    proxy.reset()
    proxy.always = { latencyMs: 200 }
    const slow = tracked(ortho.readTile(2, 0, 0))
    while (getMaps(proxy) === 0) await new Promise((r) => setTimeout(r, 5))
    const other = await dem.readTile(dem.info.levels.length - 1, 0, 0)
    expect(other.width).toBeGreaterThan(0)
    expect(slow.settled()).toBe(false)
    expect((await slow.promise).width).toBe(tileRect(ortho.info.levels[2]!, ortho.info.tileSize, 0, 0).width)
    // Withdrawn while the proxy holds it: the request is closed, not left to finish.
    const controller = new AbortController()
    const before = proxy.requests.length
    const withdrawn = ortho.readTile(2, 1, 0, controller.signal)
    while (proxy.requests.length === before) await new Promise((r) => setTimeout(r, 5))
    controller.abort()
    await expect(withdrawn).rejects.toMatchObject({ name: 'AbortError' })
    await proxy.idle()
    expect(proxy.requests.slice(before)).toHaveLength(1)
    expect(proxy.requests[before]!.clientClosedEarly).toBe(true)
  })

  it("a GetMap the server fails for now (503, its retries spent) is 'unavailable'; a ServiceException is not; the tile loads once the server answers", { timeout: 30_000 }, async () => {
    const { proxy, url } = await proxiedWms()
    const { ortho } = await twoLayers(url)
    proxy.always = { status: 503 }
    const failure = await ortho.readTile(3, 0, 0).then(() => null, (error: unknown) => error)
    expect(failure).toMatchObject({ code: 'unavailable' })
    expect((failure as Error).message).toMatch(/answered HTTP 503/)
    proxy.always = {
      respond: (request, response) => {
        if (!/REQUEST=GetMap/i.test(request.url ?? '')) return false
        response.writeHead(200, { 'content-type': 'application/vnd.ogc.se_xml' })
        response.end('<?xml version="1.0"?><ServiceExceptionReport version="1.1.1"><ServiceException code="InvalidSRS">msWMSLoadGetMapParams(): bad SRS</ServiceException></ServiceExceptionReport>')
        return true
      }
    }
    const refused = await ortho.readTile(3, 0, 0).then(() => null, (error: unknown) => error)
    expect((refused as Error).message).toMatch(/InvalidSRS|bad SRS/)
    expect((refused as { code?: string }).code).not.toBe('unavailable')
    proxy.always = null
    const tile = await ortho.readTile(3, 0, 0)
    expect(tile.width).toBeGreaterThan(0)
  })

  it('when the server goes away: its tiles fail at once naming the layer and the cause, in flight or asked after; the other layer keeps working', { timeout: 30_000 }, async () => {
    const { proxy, url } = await proxiedWms()
    const { ortho, dem } = await twoLayers(url)
    const label = `WMS layer ortho at ${url}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    // One GetMap held by the server when it goes away.
    proxy.always = { latencyMs: 10_000 }
    const before = proxy.requests.length
    const inFlight = ortho.readTile(2, 0, 0)
    while (proxy.requests.length === before) await new Promise((r) => setTimeout(r, 5))
    await proxy.close()
    const failure = await inFlight.then(() => null, (error: Error) => error.message)
    console.log(`[web] a GetMap in flight when its server went away: ${failure}`)
    expect(failure).toMatch(new RegExp(`^Cannot read tile 2/0/0 of ${label}: .*(connection refused|reset|closed)`))
    await expect(ortho.readTile(2, 1, 0)).rejects.toThrow(new RegExp(`^Cannot read tile 2/1/0 of ${label}: .*connection refused by 127\\.0\\.0\\.1:${proxy.port}`))
    // The server's failure, not the tile's: coded 'unavailable', the renderer asks for it again later.
    await expect(ortho.readTile(2, 1, 0)).rejects.toMatchObject({ code: 'unavailable' })
    const kept = await dem.readTile(dem.info.levels.length - 1, 0, 0)
    expect(kept.width).toBeGreaterThan(0)
  })
})
