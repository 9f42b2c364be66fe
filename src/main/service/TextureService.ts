/**
 * One TextureService per window or connection (DESIGN.md §2). It opens rasters and owns them,
 * serves tile requests as one client of the process-wide loader (see TileStreamer), forwards
 * pyramid progress, and answers calls. It takes a sink and never knows which transport carries it.
 * Every incoming message is validated here first; a malformed one gets an error reply, never a crash.
 */
import { basename, resolve } from 'node:path'
import { type ServiceCalls, type ServiceNotifications, handleCall, handleNotify } from '../../shared/calls'
import { CannotOpenError, TesseraError, cannotOpenMessage, expectedMessage, messageOf, toErrorInfo } from '../../shared/errors'
import { callIdOf, checkNotifyBatch, isCallMessage, validateBatchedNotification, validateClientMessage } from '../../shared/validate'
import { decodeUploadFrame } from '../../shared/uploadFrame'
import type { NotifyMessage, OpenBatchSlot, OpenedRaster, ReplyMessage, ServiceStats } from '../../shared/protocol'
import { tilePoolSize } from '../pool/defaultPool'
import { LiveRaster } from './LiveRaster'
import { sharedTileLoader } from './tileLoader'
import { TileStreamer } from './TileStreamer'
import { UploadStore } from './UploadStore'
import type { RasterOpener, ServiceSink, TextureServiceOptions } from './types'
import type { RasterSource } from '../raster/types'
import { getDefaultPools } from '../raster/decodePools'
import { readWebCapabilities } from '../web/capabilities'
import { openWebLayer, webLayerLabel } from '../web/openWebLayer'
import { sharedTileCache } from '../web/tileCache'
import { describeCrs, searchCrs } from './crsCatalog'
import { sampleValues } from './sampleValues'
import { isHttpUrl, urlSchemeOf } from '../raster/rasterUrl'
import { processRemoteTotals } from '../remote'
import { readStac } from '../stac'

interface OpenRasterEntry {
  raster: LiveRaster
  /** The uploaded temp file to delete on close, if any. */
  uploadedPath: string | null
}

export class TextureService {
  /** Defaults of every option, stated once. */
  static readonly defaultOptions = {
    // As many as the shared tile pool has workers: by default a connection may use them all when
    // it is alone, and the loader shares them fairly when it is not.
    maxWorkers: tilePoolSize(),
    mayOpenPath: (_path: string): boolean => true,
    uploadRoot: null as string | null,
    maxPending: 20_000,
    watchFiles: true,
    fileChangeDebounceMs: 100,
    // Each open raster holds a file, a watch and a source: a client opening the same allowed path
    // again and again must not exhaust them. A person's session is far below this.
    maxOpenRasters: 256
  }

  private readonly sink: ServiceSink
  private readonly options: Required<TextureServiceOptions>
  private readonly tiles: TileStreamer
  private readonly rasters = new Map<string, OpenRasterEntry>()
  private uploads: UploadStore | null = null
  private sequence = 0
  /** The renderer's view size (`view-size`): files opened after it decode first what its fit view shows. */
  private viewSize: { width: number; height: number } | null = null
  private opening = 0
  private closed = false

  constructor(options: TextureServiceOptions) {
    this.options = { ...TextureService.defaultOptions, ...stripUndefined(options) } as Required<TextureServiceOptions>
    const { maxWorkers, maxPending } = this.options
    if (!Number.isInteger(maxWorkers) || maxWorkers < 1) {
      throw new TypeError(expectedMessage('positive integer', 'maxWorkers', maxWorkers))
    }
    this.sink = guardSink(options.sink)
    this.tiles = new TileStreamer(this.sink, {
      loader: options.loader ?? sharedTileLoader(),
      maxWorkers,
      maxPending,
      onFileChanged: (rasterId, tile) => this.rasters.get(rasterId)?.raster.tileOfChangedFile(tile)
    })
  }

  /**
   * Handles one decoded (not yet validated) message. Calls resolve with their reply (`reply` or
   * `reply-error`); notifications resolve with null, and their errors are sent as `error` events.
   * Never rejects. When `send` is given (a transport whose replies and events share one ordered
   * channel), a reply is handed to it before a raster the call opened says anything; without it,
   * that raster may speak before the promise resolves.
   */
  async receive(value: unknown, send?: (reply: ReplyMessage) => void): Promise<ReplyMessage | null> {
    const reply = await this.answer(value)
    if (reply) {
      send?.(reply)
      // The renderer knows the raster's id once it has the reply: the raster may speak now.
      if (reply.type === 'reply') this.startRaster(reply.result)
    }
    return reply
  }

  private async answer(value: unknown): Promise<ReplyMessage | null> {
    let message
    try {
      message = validateClientMessage(value)
    } catch (error) {
      const id = callIdOf(value)
      const info = toErrorInfo(error, 'bad-message')
      if (id !== null) return { type: 'reply-error', id, error: info }
      this.sink.send({ type: 'error', error: info })
      return null
    }
    if (isCallMessage(message)) {
      try {
        if (this.closed) throw new TesseraError('internal', 'The texture service is closed')
        return { type: 'reply', id: message.id, result: await handleCall(this.calls, message) }
      } catch (error) {
        return { type: 'reply-error', id: message.id, error: toErrorInfo(error, 'internal') }
      }
    }
    this.notify(message)
    return null
  }

  /**
   * Handles a decoded batch of notifications (`NotifyBatch`, a task's), in order and at once:
   * nothing is dispatched to the loader before the last is in. Each is checked as it comes; a bad
   * one is refused alone, and the batch's first refusal is its one `error` event (as a message's).
   */
  receiveNotifications(batch: unknown[]): void {
    let refusal: unknown = null
    try {
      checkNotifyBatch(batch)
      batch.forEach((value, index) => {
        try {
          this.notify(validateBatchedNotification(value, index))
        } catch (error) {
          refusal ??= error
        }
      })
    } catch (error) {
      refusal = error
    }
    if (refusal !== null) this.sink.send({ type: 'error', error: toErrorInfo(refusal, 'bad-message') })
  }

  private notify(message: NotifyMessage): void {
    try {
      handleNotify(this.notifications, message)
    } catch (error) {
      this.sink.send({ type: 'error', error: toErrorInfo(error, 'internal') })
    }
  }

  /** Handles one binary message from the client: an upload chunk. Errors go out as `error` events. */
  receiveBinary(bytes: Uint8Array): void {
    try {
      const chunk = decodeUploadFrame(bytes)
      this.uploadStore().write(chunk.uploadId, chunk.offset, chunk.bytes)
    } catch (error) {
      this.sink.send({ type: 'error', error: toErrorInfo(error, 'bad-message') })
    }
  }

  /**
   * Opens a file on the host's behalf (command line, File menu), without the path policy, and
   * pushes `raster-opened` (with `batch`, its place among files given together). Rejects with a
   * TesseraError('open-failed') naming the file.
   */
  async openHostPath(path: string, batch?: OpenBatchSlot, shownAs: string = path): Promise<OpenedRaster> {
    const opened = await this.open(path, null, shownAs)
    this.sink.send({ type: 'raster-opened', rasterId: opened.rasterId, info: opened.info, ...(batch ? { batch } : {}) })
    this.startRaster(opened)
    return opened
  }

  /** Counters of this service. */
  stats(): ServiceStats {
    return { ...this.tiles.counters(), openRasters: this.rasters.size, remote: processRemoteTotals() }
  }

  /** Ids of the rasters open now. */
  rasterIds(): string[] {
    return [...this.rasters.keys()]
  }

  /**
   * Cancels everything, closes every raster and deletes uploads. Idempotent. Never hangs on a tile
   * load that ignores its signal (see `TileStreamer.close`).
   */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.tiles.close()
    await Promise.allSettled([...this.rasters.keys()].map((id) => this.closeRaster(id)))
    await this.uploads?.close()
  }

  get isClosed(): boolean {
    return this.closed
  }

  /** The service's side of every call of the protocol (`calls.ts`), by name. */
  private readonly calls: ServiceCalls = {
    open: async ({ path, name }) => {
      if (!this.options.mayOpenPath(path)) {
        throw new TesseraError('not-allowed', `Opening ${path} by path is not allowed: drop or upload the file instead`)
      }
      return this.open(path, null, name ?? path)
    },
    // The page (its connection holds the host's token) asks; the host fetches, never the page.
    'open-url': async ({ url }) => {
      if (!isHttpUrl(url)) throw new CannotOpenError(url, urlRefusal(url))
      return this.open(url, null, url)
    },
    'upload-begin': async ({ name, size }) => ({ uploadId: await this.uploadStore().begin(name, size) }),
    'upload-end': async ({ uploadId }) => {
      const store = this.uploadStore()
      const name = store.nameOf(uploadId)
      const path = await store.end(uploadId)
      try {
        return await this.open(path, path, name ?? basename(path))
      } catch (error) {
        await this.uploads?.remove(path)
        throw error
      }
    },
    close: async ({ rasterId }) => {
      this.raster(rasterId)
      await this.closeRaster(rasterId)
      return {}
    },
    stats: async () => this.stats(),
    configure: async ({ scheduling }) => {
      this.tiles.setScheduling(scheduling)
      return {}
    },
    'view-size': async ({ width, height }) => {
      this.viewSize = width > 0 && height > 0 ? { width, height } : null
      return {}
    },
    'tile-encodings': async ({ accept }) => {
      this.tiles.setAcceptedEncodings(accept)
      return {}
    },
    'search-crs': ({ query }) => searchCrs(query),
    'describe-crs': ({ definition }) => describeCrs(definition),
    'sample-values': ({ rasterId, points }) => {
      const { raster } = this.raster(rasterId)
      return sampleValues(raster.info, points, (level, col, row) => raster.readTile(level, col, row))
    },
    // Issue 25: web map layers; the host fetches, through the process's web cache (src/main/web/).
    'web-capabilities': async ({ url }) => {
      try {
        return await readWebCapabilities(url, sharedTileCache())
      } catch (error) {
        throw new TesseraError('open-failed', `Cannot read the capabilities of ${url}: ${messageOf(error)}`)
      }
    },
    'open-web-layer': async (params) => {
      const label = webLayerLabel(params)
      // A web layer has no file to watch: its one "open" is the layer opened here.
      const opener = async (): Promise<RasterSource> => openWebLayer(params, sharedTileCache(), getDefaultPools().tiles)
      // Fails as `Cannot open <SERVICE> layer <name> at <url>: <cause>` (openFailureMessage).
      return this.open(label, null, label, opener)
    },
    // Issue 25: a STAC document read by the host; a path only where `open` takes paths.
    'stac-read': async ({ href, first, text }) => {
      try {
        return await readStac(href, { first, text, mayReadPath: (path) => this.options.mayOpenPath(path) })
      } catch (error) {
        throw new TesseraError('open-failed', messageOf(error))
      }
    }
  }

  /** The service's side of every notification of the protocol. */
  private readonly notifications: ServiceNotifications = {
    request: ({ rasterId, tiles }) => this.raster(rasterId).raster.request(tiles),
    'cancel-obsolete': ({ rasterId, keep }) => this.raster(rasterId).raster.cancelObsolete(keep),
    // A remote raster's backlog: its bytes fetched ahead, under the source its tiles were last requested of.
    prefetch: ({ rasterId, tiles }) => {
      this.raster(rasterId)
      this.tiles.hint(rasterId, tiles)
    }
  }

  /** Opens `path`; a failure names the file `shownAs`, as the person gave it. */
  private async open(path: string, uploadedPath: string | null, shownAs: string, opener?: RasterOpener): Promise<OpenedRaster> {
    const { maxOpenRasters } = this.options
    if (this.rasters.size + this.opening >= maxOpenRasters) {
      if (uploadedPath) await this.uploads?.remove(uploadedPath)
      throw new TesseraError('overloaded', `Cannot open ${shownAs}: ${maxOpenRasters} rasters are already open on this connection; close one first`)
    }
    this.opening++
    try {
      return await this.openCounted(path, uploadedPath, shownAs, opener)
    } finally {
      this.opening--
    }
  }

  /** `opener`: a raster that is not a file (a web layer), opened once and never watched. */
  private async openCounted(path: string, uploadedPath: string | null, shownAs: string, opener?: RasterOpener): Promise<OpenedRaster> {
    const rasterId = `r${++this.sequence}`
    const raster = new LiveRaster(rasterId, path, {
      sink: this.sink,
      tiles: this.tiles,
      openRaster: opener ?? this.options.openRaster,
      // An upload is a temporary copy that only the service writes: nothing to watch.
      watch: uploadedPath === null && opener === undefined && this.options.watchFiles,
      debounceMs: this.options.fileChangeDebounceMs,
      maxHeld: this.options.maxPending,
      viewSize: () => this.viewSize
    })
    try {
      await raster.open()
    } catch (error) {
      throw new TesseraError('open-failed', openFailureMessage(error, path, shownAs))
    }
    if (this.closed) {
      await raster.close()
      throw new TesseraError('internal', 'The texture service closed while opening')
    }
    // Started once the renderer is told its id (`startRaster`): what it says until then is kept.
    this.rasters.set(rasterId, { raster, uploadedPath })
    return { rasterId, info: raster.info }
  }

  /** Starts the raster a result names (an opened raster), if any. */
  private startRaster(result: unknown): void {
    const rasterId = (result as Partial<OpenedRaster> | null)?.rasterId
    if (typeof rasterId === 'string') this.rasters.get(rasterId)?.raster.start()
  }

  private async closeRaster(rasterId: string): Promise<void> {
    const entry = this.rasters.get(rasterId)
    if (!entry) return
    this.rasters.delete(rasterId)
    await entry.raster.close()
    if (entry.uploadedPath) await this.uploads?.remove(entry.uploadedPath)
  }

  private raster(rasterId: string): OpenRasterEntry {
    const entry = this.rasters.get(rasterId)
    if (!entry) throw new TesseraError('unknown-raster', expectedMessage('the id of an open raster', 'rasterId', rasterId))
    return entry
  }

  private uploadStore(): UploadStore {
    if (this.options.uploadRoot === null) throw new TesseraError('not-allowed', 'Uploads are not accepted by this host')
    if (this.closed) throw new TesseraError('internal', 'The texture service is closed')
    return (this.uploads ??= new UploadStore(this.options.uploadRoot))
  }
}

/** A sink whose failures are logged, never thrown into the service. */
function guardSink(sink: ServiceSink): ServiceSink {
  return {
    send(message) {
      try {
        sink.send(message)
      } catch (error) {
        console.error('[TextureService] sending failed:', error)
      }
    },
    sendTile(frame) {
      try {
        sink.sendTile(frame)
      } catch (error) {
        console.error('[TextureService] sending a tile failed:', error)
      }
    },
    // The transport's flow control, for the send queue (issue 14).
    ...(sink.flow ? { flow: sink.flow } : {})
  }
}

/** Why `open-url` refuses text that is not an http(s) URL: the host fetches nothing else (no `file:`). */
function urlRefusal(text: string): string {
  const scheme = urlSchemeOf(text)
  return scheme ? `only http and https URLs are opened, not ${scheme.slice(0, -1)} URLs` : 'it is not an http or https URL'
}

function stripUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>
}

/**
 * The message a person reads when a file does not open, the same by every route: it names the file
 * as the person gave it (`shownAs`: the path typed or picked, a dropped file's own name, never an
 * upload's temporary path) and ends on the cause, not on libvips' dangling ':'.
 */
export function openFailureMessage(error: unknown, path: string, shownAs: string): string {
  if (error instanceof CannotOpenError) return cannotOpenMessage(shownAs, error.reason)
  // An opener of the host's own (not `openRaster`) may throw any error: name the file around it.
  const message = messageOf(error)
  const absolute = resolve(path)
  const named = [path, absolute].find((p) => message.includes(p))
  return named ? message.split(named).join(shownAs).trim().replace(/\s*:\s*$/, '') : cannotOpenMessage(shownAs, message)
}
