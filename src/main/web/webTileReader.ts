/**
 * Reads a web layer's tile: the server's image for the tile's request (through the disk cache and
 * the process's HTTP client, aborted with the tile's signal). To a connection that decodes the
 * image's encoding (`readAs`: PNG, JPEG, WebP), an image whose header states the asked size is sent
 * as the server's bytes, as OpenLayers hands them to the browser; otherwise it is decoded in the
 * tile pool into RGBA8 and cut to the tile. A ServiceException, an error status or a body that is
 * not an image of the asked size rejects with the server's words; a server failing for now (5xx,
 * 408, 429, no ServiceException) as a ServerUnavailableError, which the tile's failure says as
 * 'unavailable' (asked again later). A tile the layer has none of
 * (outside its stated box; a 404 or 204 of an XYZ server, which is how a pyramid says "nothing
 * here", as OpenLayers and QGIS read it) is empty: transparent, never an error.
 */
import { tileRect } from '../../shared/tiles'
import type { TileEncoding } from '../../shared/protocol'
import type { DecodePool } from '../raster/decodePools'
import type { TilePixels } from '../raster/decode/jobs'
import { type TileReader, decodedTile } from '../raster/readers'
import type { DecodedTile, EncodedTile, LoadedTile } from '../raster/types'
import { ServerUnavailableError, isUnavailableStatus } from '../remote/errors'
import { emptyPng } from './emptyPng'
import { looksLikeXml, serviceExceptionText } from './serviceException'
import type { TileCache, WebAnswer } from './tileCache'
import { tileImageHeader } from './tileImageHeader'
import type { WebGrid, WebTileRequest } from './webGrid'

export interface WebTileReaderOptions {
  /** A 404 (or 204) answer is an empty tile, not an error: XYZ/TMS pyramids have no file where they have no data. */
  missingIsEmpty?: boolean
}

/** What a tile's fetch gave: nothing there, or the image's bytes for its request. */
type Fetched = { kind: 'empty' } | { kind: 'image'; request: WebTileRequest; body: Uint8Array }

export class WebTileReader implements TileReader {
  constructor(
    private readonly grid: WebGrid,
    private readonly cache: TileCache,
    private readonly pool: DecodePool,
    private readonly options: WebTileReaderOptions = {}
  ) {}

  async read(level: number, col: number, row: number, signal?: AbortSignal): Promise<DecodedTile> {
    const rect = this.rect(level, col, row)
    const fetched = await this.fetch(level, col, row, signal)
    if (fetched.kind === 'empty') return emptyPixels(rect.width, rect.height)
    return this.decode(fetched.request, fetched.body, rect, signal)
  }

  /** The server's own PNG/JPEG/WebP where `accept` has its encoding and its header says the asked size; else `read`'s pixels. */
  async readAs(level: number, col: number, row: number, accept: ReadonlySet<TileEncoding>, signal?: AbortSignal): Promise<LoadedTile> {
    const rect = this.rect(level, col, row)
    const fetched = await this.fetch(level, col, row, signal)
    if (fetched.kind === 'empty') {
      if (!accept.has('png')) return emptyPixels(rect.width, rect.height)
      const empty: EncodedTile = { encoding: 'png', width: rect.width, height: rect.height, bytes: emptyPng(rect.width, rect.height) }
      return empty
    }
    const { request, body } = fetched
    const header = await tileImageHeader(body)
    if (header && accept.has(header.encoding) && header.width === request.imageWidth && header.height === request.imageHeight) {
      // The tile is the image's top-left part (an edge tile of the virtual pyramid may be cut from a full server tile).
      const encoded: EncodedTile = { encoding: header.encoding, width: Math.min(rect.width, header.width), height: Math.min(rect.height, header.height), bytes: body }
      return encoded
    }
    return this.decode(request, body, rect, signal)
  }

  private rect(level: number, col: number, row: number): { width: number; height: number } {
    return tileRect(this.grid.levels[level]!, this.grid.tileSize, col, row)
  }

  private async fetch(level: number, col: number, row: number, signal?: AbortSignal): Promise<Fetched> {
    const request = this.grid.request(level, col, row)
    // Outside what the layer says it has: transparent, without asking (a pyramid has no tile there, a 404).
    if (request === null) return { kind: 'empty' }
    const answer = await this.cache.fetchCached(request.url, { signal })
    if (this.options.missingIsEmpty && (answer.status === 404 || answer.status === 204)) return { kind: 'empty' }
    return { kind: 'image', request, body: imageBody(request.url, answer) }
  }

  private async decode(request: WebTileRequest, body: Uint8Array, rect: { width: number; height: number }, signal?: AbortSignal): Promise<DecodedTile> {
    // Copied into a buffer of its own: the job crosses into a worker.
    const bytes = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer
    const pixels = await this.pool.run<TilePixels>(
      { kind: 'decode-image', url: request.url, bytes, imageWidth: request.imageWidth, imageHeight: request.imageHeight, width: rect.width, height: rect.height },
      { signal }
    )
    return decodedTile(pixels)
  }
}

function emptyPixels(width: number, height: number): DecodedTile {
  return { width, height, channels: 4, data: new Uint8Array(width * height * 4) }
}

/** The body of an answer that should be an image, or the server's error in its own words. */
export function imageBody(url: string, answer: WebAnswer): Uint8Array {
  const xml = looksLikeXml(answer.body) || /xml/i.test(answer.contentType ?? '')
  const exception = xml ? serviceExceptionText(Buffer.from(answer.body).toString('utf8')) : null
  if (answer.status !== 200) {
    const status = `HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}`
    const message = `${url} answered ${status}${exception ? `: ${exception}` : ''}`
    // A server failing for now (5xx, 408, 429, its retries spent) is asked again later; one that says
    // why in a ServiceException refused the request itself, and asking again would get the same.
    if (!exception && isUnavailableStatus(answer.status)) throw new ServerUnavailableError(message)
    throw new Error(message)
  }
  if (exception) throw new Error(`the server refused ${url}: ${exception}`)
  return answer.body
}
