/**
 * Reads a web layer's tile: the server's image for the tile's request (through the disk cache and
 * the process's HTTP client, aborted with the tile's signal), decoded in the tile pool into RGBA8
 * and cut to the tile. A ServiceException, an error status or a body that is not an image of the
 * asked size rejects with the server's words.
 */
import { tileRect } from '../../shared/tiles'
import type { DecodePool } from '../raster/decodePools'
import type { TilePixels } from '../raster/decode/jobs'
import { type TileReader, decodedTile } from '../raster/readers'
import type { DecodedTile } from '../raster/types'
import { looksLikeXml, serviceExceptionText } from './serviceException'
import type { TileCache, WebAnswer } from './tileCache'
import type { WebGrid } from './webGrid'

export class WebTileReader implements TileReader {
  constructor(
    private readonly grid: WebGrid,
    private readonly cache: TileCache,
    private readonly pool: DecodePool
  ) {}

  async read(level: number, col: number, row: number, signal?: AbortSignal): Promise<DecodedTile> {
    const request = this.grid.request(level, col, row)
    const rect = tileRect(this.grid.levels[level]!, this.grid.tileSize, col, row)
    // Outside what the layer says it has: transparent, without asking (a pyramid has no tile there, a 404).
    if (request === null) return { width: rect.width, height: rect.height, channels: 4, data: new Uint8Array(rect.width * rect.height * 4) }
    const answer = await this.cache.fetchCached(request.url, { signal })
    const body = imageBody(request.url, answer)
    // Copied into a buffer of its own: the job crosses into a worker.
    const bytes = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer
    const pixels = await this.pool.run<TilePixels>(
      { kind: 'decode-image', url: request.url, bytes, imageWidth: request.imageWidth, imageHeight: request.imageHeight, width: rect.width, height: rect.height },
      { signal }
    )
    return decodedTile(pixels)
  }
}

/** The body of an answer that should be an image, or the server's error in its own words. */
export function imageBody(url: string, answer: WebAnswer): Uint8Array {
  const xml = looksLikeXml(answer.body) || /xml/i.test(answer.contentType ?? '')
  const exception = xml ? serviceExceptionText(Buffer.from(answer.body).toString('utf8')) : null
  if (answer.status !== 200) {
    const status = `HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}`
    throw new Error(`${url} answered ${status}${exception ? `: ${exception}` : ''}`)
  }
  if (exception) throw new Error(`the server refused ${url}: ${exception}`)
  return answer.body
}
