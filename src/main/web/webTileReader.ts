/**
 * Reads a web layer's tile: the server's image for the tile's request (through the disk cache and
 * the process's HTTP client, aborted with the tile's signal). To a connection that decodes the
 * image's encoding (`readAs`: PNG, JPEG, WebP; see `PASSED_THROUGH`), an image whose header states
 * the asked size is sent as the server's bytes, as OpenLayers hands them to the browser; otherwise
 * it is decoded in the tile pool into RGBA8 and cut to the tile. An empty tile goes as
 * no bytes where the connection takes 'empty', else as a transparent PNG's few where it decodes
 * PNG (`emptyTile`). A ServiceException, an error status or a body that is not an image of the
 * asked size rejects with the server's words; a server failing for now (5xx, 408, 429, no
 * ServiceException) as a ServerUnavailableError, which the tile's failure says as 'unavailable'
 * (asked again later). A tile the layer has none of (outside its stated box; a 404 or 204 of an
 * XYZ server, which is how a pyramid says "nothing here", as OpenLayers and QGIS read it) is
 * empty: transparent, never an error. Past the server's deepest zoom (a template says 0–19, the
 * server stops at 16) a missing tile is its nearest ancestor's part magnified, as map viewers
 * overzoom, where it used to be a hole in the map. A missing tile is not asked for again for a
 * while (`MissingTiles`).
 */
import { tileRect } from '../../shared/tiles'
import type { TileEncoding } from '../../shared/protocol'
import type { DecodePool } from '../raster/decodePools'
import type { TilePixels } from '../raster/decode/jobs'
import { type TileReader, decodedTile } from '../raster/readers'
import type { DecodedTile, EncodedTile, LoadedTile } from '../raster/types'
import { ServerUnavailableError, abortable, isUnavailableStatus } from '../remote/errors'
import { emptyPng } from './emptyPng'
import { magnifyPart, type Magnify } from './magnify'
import { MissingTiles } from './missingTiles'
import { ServerDepth } from './serverDepth'
import { looksLikeXml, serviceExceptionText } from './serviceException'
import type { TileCache, WebAnswer } from './tileCache'
import { tileImageHeader } from './tileImageHeader'
import type { WebGrid, WebTileRequest } from './webGrid'

export interface WebTileReaderOptions {
  /** A 404 (or 204) answer is an empty tile, not an error: XYZ/TMS pyramids have no file where they have no data. */
  missingIsEmpty?: boolean
  /**
   * With `missingIsEmpty`, on a grid whose level L + 1 halves level L (XYZ): a tile missing at a
   * level finer than any the server has answered with an image is drawn from its nearest ancestor
   * that has one (up to `MAX_OVERZOOM_LEVELS` up), that ancestor's part magnified.
   */
  overzoom?: boolean
  /** A withdrawn tile well on its way lands in the cache rather than being aborted (`FetchCachedOptions.landing`): stored tiles, not a WMS's renders. */
  landing?: boolean
}

/**
 * The server's encodings sent to the page as its bytes, where the connection decodes them, as
 * OpenLayers hands them to the browser. A PNG too: the page's tile worker decodes it with WebCodecs'
 * ImageDecoder (`tileSocket.worker.ts`), and a web PNG tile is some 2.5 times smaller than its
 * pixels. Decoded here instead (libvips, 3 ms a 256² tile) and sent as 256 KiB of pixels, the web
 * bench's XYZ walk over HTTP/2 took 0.95–1.07× OpenLayers' time (two runs of 3 walks each), against
 * 0.75× passed through (the next run): the host's decode, its copies into the pool and out, and the
 * socket's bytes were the tail of every wait on a 2-core machine both contenders saturate. (Through a 2D canvas drawn and read
 * back, the worker's decode of a PNG took 40–140 ms a tile while the page drew, and did not pay.)
 */
export const PASSED_THROUGH: ReadonlySet<TileEncoding> = new Set(['jpeg', 'webp', 'png'])

/** Levels an overzoomed tile looks up for an ancestor: its part is then 4 pixels of a 256 tile, magnified 64×. */
export const MAX_OVERZOOM_LEVELS = 6

/**
 * Ancestors' decoded images kept for the overzoomed tiles that magnify their parts (256 kB each
 * for a 256² tile): a view two levels past the server's depth has 16 tiles under each ancestor,
 * which decoded it 16 times.
 */
const ANCESTOR_IMAGES_KEPT = 8

/** What a tile's fetch gave: nothing there, or the image's bytes for its request. */
type Fetched = { kind: 'empty' } | { kind: 'image'; request: WebTileRequest; body: Uint8Array; magnify?: Magnify }

export class WebTileReader implements TileReader {
  /** How deep the server's pyramid goes, from its answers (`overzoom`). */
  private readonly depth = new ServerDepth()
  /** Ancestors being fetched for overzoomed tiles, by URL: four siblings share one request. */
  private readonly ancestors = new Map<string, Promise<WebAnswer>>()
  /** Tiles the server said it has none of (`missingIsEmpty`): not asked for again for a while. */
  private readonly missing = new MissingTiles()
  /** Ancestors' images decoded whole, by URL, the most recently used last: their overzoomed tiles' parts are cut from them. */
  private readonly ancestorImages = new Map<string, Promise<DecodedTile>>()

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
    if (fetched.magnify) return this.magnified(fetched.request, fetched.body, rect, fetched.magnify, signal)
    return this.decode(fetched.request, fetched.body, rect, signal)
  }

  /** The server's own PNG/JPEG/WebP where `accept` has its encoding and its header says the asked size; else `read`'s pixels. */
  async readAs(level: number, col: number, row: number, accept: ReadonlySet<TileEncoding>, signal?: AbortSignal): Promise<LoadedTile> {
    const rect = this.rect(level, col, row)
    const fetched = await this.fetch(level, col, row, signal)
    const empty = (): LoadedTile => emptyTile(rect.width, rect.height, accept)
    if (fetched.kind === 'empty') return empty()
    const { request, body, magnify } = fetched
    if (magnify) {
      // An ancestor's part outside the data (a sparse pyramid's edge) is sent as an empty tile, not
      // 256 KiB of transparent pixels.
      const tile = await this.magnified(request, body, rect, magnify, signal)
      return isTransparent(tile) ? empty() : tile
    }
    const header = await tileImageHeader(body)
    if (header && PASSED_THROUGH.has(header.encoding) && accept.has(header.encoding) && header.width === request.imageWidth && header.height === request.imageHeight) {
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
    if (this.options.missingIsEmpty && this.missing.has(request.url)) return this.missingTile(level, col, row, signal)
    const fetched = this.depth.fetching(level)
    try {
      const answer = await this.cache.fetchCached(request.url, { signal, landing: this.options.landing === true })
      if (this.options.missingIsEmpty && isMissing(answer)) {
        this.missing.add(request.url)
        fetched() // before its own wait: it is no longer out
        return await this.missingTile(level, col, row, signal)
      }
      const body = imageBody(request.url, answer)
      this.depth.answered(level)
      return { kind: 'image', request, body }
    } finally {
      fetched()
    }
  }

  /** A tile its server has none of: empty, or past the server's depth (`overzoom`) its ancestor's part. */
  private async missingTile(level: number, col: number, row: number, signal?: AbortSignal): Promise<Fetched> {
    if (!this.options.overzoom) return { kind: 'empty' }
    return (await this.depth.isPast(level, signal)) ? this.ancestorPart(level, col, row, signal) : { kind: 'empty' }
  }

  /** The nearest ancestor with an image, and the tile's part of it; empty when none within `MAX_OVERZOOM_LEVELS`. */
  private async ancestorPart(level: number, col: number, row: number, signal?: AbortSignal): Promise<Fetched> {
    for (let up = 1; up <= MAX_OVERZOOM_LEVELS && level + up < this.grid.levels.length; up++) {
      const request = this.grid.request(level + up, col >> up, row >> up)
      if (request === null) break
      if (this.missing.has(request.url)) continue
      const answer = await abortable(this.sharedFetch(request.url), signal, `Reading ${request.url}`)
      if (isMissing(answer)) {
        this.missing.add(request.url)
        continue
      }
      const body = imageBody(request.url, answer)
      this.depth.answered(level + up)
      const factor = 2 ** up
      const part = this.grid.tileSize / factor
      return { kind: 'image', request, body, magnify: { left: (col % factor) * part, top: (row % factor) * part, factor } }
    }
    return { kind: 'empty' }
  }

  /**
   * One fetch of an ancestor for all the tiles that wait on it, not aborted when one of them is
   * withdrawn (the others still wait; the HTTP client's timeouts bound it).
   */
  private sharedFetch(url: string): Promise<WebAnswer> {
    let pending = this.ancestors.get(url)
    if (!pending) {
      pending = this.cache.fetchCached(url).finally(() => this.ancestors.delete(url))
      this.ancestors.set(url, pending)
    }
    return pending
  }

  /** The tile's top-left part of the server's image, decoded in the pool. */
  private async decode(request: WebTileRequest, body: Uint8Array, rect: { width: number; height: number }, signal?: AbortSignal): Promise<DecodedTile> {
    // Copied into a buffer of its own: the job crosses into a worker.
    const bytes = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer
    const pixels = await this.pool.run<TilePixels>(
      { kind: 'decode-image', url: request.url, bytes, imageWidth: request.imageWidth, imageHeight: request.imageHeight, width: rect.width, height: rect.height },
      { signal }
    )
    return decodedTile(pixels)
  }

  /**
   * A tile past the server's depth: its part of the ancestor's image (`request`, `body`),
   * magnified. The ancestor is decoded once for the siblings that share it (not withdrawn with one
   * of them: the others wait on it), and kept for the next ones a while (`ANCESTOR_IMAGES_KEPT`).
   */
  private async magnified(request: WebTileRequest, body: Uint8Array, rect: { width: number; height: number }, part: Magnify, signal?: AbortSignal): Promise<DecodedTile> {
    let image = this.ancestorImages.get(request.url)
    if (image) this.ancestorImages.delete(request.url) // set again below: the most recently used
    else {
      image = this.decode(request, body, { width: request.imageWidth, height: request.imageHeight })
      const decoding = image
      decoding.catch(() => {
        if (this.ancestorImages.get(request.url) === decoding) this.ancestorImages.delete(request.url)
      })
    }
    this.ancestorImages.set(request.url, image)
    for (const url of this.ancestorImages.keys()) {
      if (this.ancestorImages.size <= ANCESTOR_IMAGES_KEPT) break
      this.ancestorImages.delete(url)
    }
    const whole = await abortable(image, signal, `Reading ${request.url}`)
    return magnifyPart(whole, rect.width, rect.height, part, request.url)
  }
}

/** How an XYZ/TMS server says it has no tile there. */
function isMissing(answer: WebAnswer): boolean {
  return answer.status === 404 || answer.status === 204
}

function isTransparent(tile: DecodedTile): boolean {
  const { data } = tile
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return false
  return true
}

/**
 * A tile with nothing in it, as the client takes it: 'empty' (no payload; its tile worker
 * allocates the transparent pixels), else the few bytes of a transparent PNG, else the pixels.
 */
function emptyTile(width: number, height: number, accept: ReadonlySet<TileEncoding>): LoadedTile {
  if (accept.has('empty')) return { encoding: 'empty', width, height, bytes: NO_BYTES } satisfies EncodedTile
  if (accept.has('png')) return { encoding: 'png', width, height, bytes: emptyPng(width, height) } satisfies EncodedTile
  return emptyPixels(width, height)
}

const NO_BYTES = new Uint8Array(0)

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
