/**
 * Which failed remote reads are the server's or the network's for now ('unavailable': the tile is
 * asked again later) and which are the data's or the request's (not asked again), and how that
 * reaches a tile's failure: a Raster's read that fails so is coded 'unavailable', also when the
 * failure crossed a decode worker (only its name does).
 */
import { describe, expect, it } from 'vitest'
import { Raster } from '../../src/main/raster/Raster'
import type { TileReader } from '../../src/main/raster/readers'
import type { RasterInfo } from '../../src/shared/raster'
import { TesseraError } from '../../src/shared/errors'
import { RemoteReadError, ServerUnavailableError, isPassingFailure, isServerUnavailable, networkError } from '../../src/main/remote/errors'
import { imageBody } from '../../src/main/web/webTileReader'

const URL_ = 'http://127.0.0.1:9/dem.tif'

describe('isPassingFailure', () => {
  it('is true for 5xx (but 501 and 505), 408 and 429', () => {
    for (const status of [500, 502, 503, 504, 408, 429]) expect(isPassingFailure('http-status', status), String(status)).toBe(true)
    for (const status of [400, 401, 403, 404, 410, 416, 501, 505]) expect(isPassingFailure('http-status', status), String(status)).toBe(false)
    expect(isPassingFailure('http-status', null)).toBe(false)
  })

  it('is true for a reset, a refused connection, a timeout, a stall, a truncated body, a DNS failure; false for TLS and bad answers', () => {
    for (const failure of ['reset', 'refused', 'timeout', 'stalled', 'truncated', 'dns', 'network'] as const) expect(isPassingFailure(failure, null), failure).toBe(true)
    for (const failure of ['tls', 'bad-answer', 'range-ignored', 'closed'] as const) expect(isPassingFailure(failure, null), failure).toBe(false)
  })
})

describe('isServerUnavailable', () => {
  it('reads a RemoteReadError by its failure, and a ServerUnavailableError by its name (as it crosses a worker)', () => {
    expect(isServerUnavailable(new RemoteReadError(URL_, 'http-status', 'HTTP 503 Service Unavailable', true, null, 503))).toBe(true)
    expect(isServerUnavailable(new RemoteReadError(URL_, 'http-status', 'HTTP 404 Not Found', false, null, 404))).toBe(false)
    expect(isServerUnavailable(networkError(URL_, Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } })))).toBe(true)
    expect(isServerUnavailable(networkError(URL_, Object.assign(new Error('fetch failed'), { cause: { code: 'ERR_TLS_CERT_ALTNAME_INVALID' } })))).toBe(false)
    const crossed = Object.assign(new Error('Cannot read x: HTTP 503'), { name: new ServerUnavailableError('m').name })
    expect(isServerUnavailable(crossed)).toBe(true)
    expect(isServerUnavailable(new Error('Cannot read x: HTTP 503'))).toBe(false)
    expect(isServerUnavailable('HTTP 503')).toBe(false)
  })
})

describe("a web tile's answer", () => {
  const answer = (status: number, body = '', contentType: string | null = null) => ({ status, statusText: '', contentType, body: new TextEncoder().encode(body), from: 'network' as const })

  it('of a server failing for now (5xx, 408, 429) is a ServerUnavailableError in the server’s words', () => {
    for (const status of [500, 503, 429, 408]) {
      let thrown: unknown
      try {
        imageBody('http://h/wms?REQUEST=GetMap', answer(status, 'busy', 'text/plain'))
      } catch (error) {
        thrown = error
      }
      expect(isServerUnavailable(thrown), String(status)).toBe(true)
      expect((thrown as Error).message).toBe(`http://h/wms?REQUEST=GetMap answered HTTP ${status}`)
    }
  })

  it('of a 404, or of a ServiceException (whatever its status), is not', () => {
    const exception = '<?xml version="1.0"?><ServiceExceptionReport><ServiceException code="InvalidBBox">bad box</ServiceException></ServiceExceptionReport>'
    for (const [status, body] of [
      [404, 'not here'],
      [500, exception],
      [200, exception]
    ] as const) {
      let thrown: unknown
      try {
        imageBody('http://h/wms?REQUEST=GetMap', answer(status, body, status === 404 ? 'text/plain' : 'application/vnd.ogc.se_xml'))
      } catch (error) {
        thrown = error
      }
      expect(thrown, `${status}`).toBeInstanceOf(Error)
      expect(isServerUnavailable(thrown), `${status}`).toBe(false)
    }
  })
})

describe("a Raster's failed read", () => {
  const info = { width: 256, height: 256, tileSize: 256, levels: [{ width: 256, height: 256 }] } as unknown as RasterInfo
  const failing = (error: Error): TileReader => ({ read: () => Promise.reject(error) }) as unknown as TileReader

  it("is coded 'unavailable' when its server failed for now, naming the tile and the file", async () => {
    const raster = new Raster(info, URL_, failing(new ServerUnavailableError(`Cannot read ${URL_}: HTTP 503 Service Unavailable`)))
    const error = await raster.readTile(0, 0, 0).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TesseraError)
    expect((error as TesseraError).code).toBe('unavailable')
    expect((error as Error).message).toBe(`Cannot read tile 0/0/0 of ${URL_}: Cannot read ${URL_}: HTTP 503 Service Unavailable`)
  })

  it('is not coded when its data is bad (the service says decode-failed)', async () => {
    const raster = new Raster(info, URL_, failing(new Error('TIFF decode error')))
    const error = await raster.readTile(0, 0, 0).catch((e: unknown) => e)
    expect(error).not.toBeInstanceOf(TesseraError)
    expect((error as Error).message).toBe(`Cannot read tile 0/0/0 of ${URL_}: TIFF decode error`)
  })
})
