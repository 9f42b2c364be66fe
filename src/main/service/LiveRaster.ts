/**
 * One raster a service has open, under one id for its whole life, while the file behind it may
 * change (issue 7: "a file rewritten while open must not serve stale pixels"). It routes the
 * raster's tile traffic by state:
 * - 'open': tiles come from the current source;
 * - 'reloading': the file changed; the old source is closed, its tiles in flight withdrawn, and
 *   requests are held until the file is open again, then asked of the new content;
 * - 'unreachable': a file on a server changed (or a failed read's check found it changed) and the
 *   server failed while it was reopened (a 5xx, a reset, a timeout): the tiles held are refused with
 *   that failure, and the reopen is tried again at the next request and after a while in any case.
 *   Nothing says the raster is gone: it is not known to be;
 * - 'gone': the new content cannot be read (deleted, truncated, a URL answering 404…); every tile
 *   is refused with the error that names the file, until the file changes again and opens.
 * A change is noticed by a watch on the file (debounced: a rewrite comes as many events) or by a
 * tile read of a changed file (the source refuses it). Whether the file changed is known by the
 * one `FileVersion` of each open: taken before the file is opened, handed to the opener (its
 * readers check their reads against it), asked by the watch. Reopening makes a new version and a
 * new source (and, for a pyramid, a new cache entry: its key includes the file's size and time);
 * the service then says `raster-updated` with the new info, and the renderer asks for every tile again.
 *
 * What the source says (progress, info, a failed build) before the service holds the raster is
 * kept, in order, and said by `start()`: nothing is lost, whenever the source speaks.
 */
import type { ErrorInfo, EventMessage, TileRequest } from '../../shared/protocol'
import type { RasterInfo } from '../../shared/raster'
import { tileKey } from '../../shared/tiles'
import { CannotOpenError, TesseraError, messageOf } from '../../shared/errors'
import { FileVersion } from '../raster/fileVersion'
import { isHttpUrl } from '../raster/rasterUrl'
import type { DecodedTile, RasterSource } from '../raster/types'
import { FileWatch, type FileWatchOptions } from './FileWatch'
import type { TileStreamer } from './TileStreamer'
import type { RasterOpener, ServiceSink } from './types'

export interface LiveRasterDeps {
  sink: ServiceSink
  tiles: TileStreamer
  openRaster: RasterOpener
  /** Watch the file for changes (false for uploads: temporary copies that nobody else writes). */
  watch: boolean
  /** Quiet time after the last change event before the file is opened again. */
  debounceMs: number
  /** Most tile requests held while the file is reopened; beyond, they are refused as 'overloaded'. */
  maxHeld: number
  watchOptions?: FileWatchOptions
  /** The renderer's view size now (`view-size`), for the opener; null until it says. */
  viewSize?: () => { width: number; height: number } | null
}

type State = 'open' | 'reloading' | 'unreachable' | 'gone'

/**
 * First wait before an unreachable server is asked again (unless a tile is asked first), doubled at
 * each failure up to the last: a brief outage recovers in seconds, a long one costs a request a minute.
 */
const UNREACHABLE_RETRY_MS = 2000
const UNREACHABLE_RETRY_MAX_MS = 60_000

export class LiveRaster {
  private source: RasterSource | null = null
  private infoValue: RasterInfo | null = null
  private state: State = 'open'
  private failure: ErrorInfo | null = null
  /** The version of the file that the current source was opened from (or, when 'gone', that was found). */
  private version: FileVersion | null = null
  /** Bumped whenever the source is given up: hooks of older sources fall silent. */
  private generation = 0
  private started = false
  /** What the source said before `start()`, to say then. */
  private unsaid: EventMessage[] = []
  private closed = false
  private watch: FileWatch | null = null
  private timer: ReturnType<typeof setTimeout> | null = null
  private probing = false
  private reloading: Promise<void> | null = null
  private reloadAgain = false
  /** Wait before the next reopen of an unreachable file (doubled at each failure, reset once open). */
  private retryMs = UNREACHABLE_RETRY_MS
  private readonly held = new Map<string, TileRequest>()

  constructor(
    readonly rasterId: string,
    /** The file, as given to the opener. */
    readonly path: string,
    private readonly deps: LiveRasterDeps
  ) {}

  /** The raster's description: of the current source, or of the last one while reloading or gone. */
  get info(): RasterInfo {
    if (!this.infoValue) throw new Error(`Raster ${this.rasterId} (${this.path}) is not open yet`)
    return this.infoValue
  }

  /** 'open', 'reloading', 'unreachable' or 'gone' (see the module's comment). */
  get status(): State {
    return this.state
  }

  /** Opens the file the first time; rejects with the opener's error. What the source says is kept until `start()`. */
  async open(): Promise<void> {
    this.version = await FileVersion.read(this.path)
    this.source = await this.openSource(this.generation, this.version)
    this.infoValue ??= this.source.info
  }

  /**
   * The service holds the raster now, and the renderer knows its id: what the source said since
   * it was opened is said, in order, then as it comes; its file is watched.
   */
  start(): void {
    if (this.closed || this.started) return
    this.started = true
    for (const message of this.unsaid.splice(0)) this.deps.sink.send(message)
    // A file on a server is not watched: a read of a replaced one fails as changed (its ETag), and that reopens it.
    if (!this.deps.watch || isHttpUrl(this.path)) return
    this.watch = new FileWatch(this.path, () => this.fileEvent(), this.deps.watchOptions)
    // A change between the first stat and the watch made no event of its own.
    this.fileEvent()
  }

  /** Tiles asked for by the renderer. */
  request(tiles: readonly TileRequest[]): void {
    if (this.closed) return
    if (this.state === 'unreachable') this.retryReload()
    if (this.state === 'open') this.deps.tiles.request(this.rasterId, this.source!, tiles)
    else if (this.state === 'reloading') for (const tile of tiles) this.hold(tile)
    else for (const tile of tiles) this.refuse(tile, this.failure!)
  }

  /**
   * Reads one tile of the current source directly, outside the loader (a few level-0 tiles for
   * `sample-values`); refused while the file is being reopened or cannot be read.
   */
  readTile(level: number, col: number, row: number, signal?: AbortSignal): Promise<DecodedTile> {
    if (this.closed) return Promise.reject(new TesseraError('unknown-raster', `Raster ${this.rasterId} (${this.path}) is closed`))
    if (this.state === 'reloading') return Promise.reject(new TesseraError('overloaded', `${this.path} changed and is being opened again: ask again`))
    if (this.state === 'gone' || this.state === 'unreachable') return Promise.reject(new TesseraError(this.failure!.code, this.failure!.message))
    return this.source!.readTile(level, col, row, signal)
  }

  /** Tiles no longer wanted (every one of the raster but those of `keep`). */
  cancelObsolete(keep: readonly string[]): void {
    if (this.state === 'open') this.deps.tiles.cancelObsolete(this.rasterId, keep)
    else if (this.state === 'reloading' && this.deps.tiles.prioritised) {
      const kept = new Set(keep)
      for (const key of this.held.keys()) if (!kept.has(key)) this.held.delete(key)
    }
  }

  /** A tile of this raster was refused because its file changed: hold it, and reopen the file. */
  tileOfChangedFile(tile: TileRequest): void {
    if (this.closed) return
    if (this.state === 'open') this.stopServing()
    this.request([tile])
    this.scheduleReload()
  }

  /** Stops watching, cancels the raster's tiles, closes its source (after a reopen under way). Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.generation++
    this.watch?.close()
    this.watch = null
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.unsaid = []
    this.held.clear()
    this.deps.tiles.cancelRaster(this.rasterId)
    await this.reloading
    await this.closeSource()
  }

  /** The file may have changed: stop serving it at once if it did, and reopen it once the writes are over. */
  private fileEvent(): void {
    if (this.closed) return
    this.scheduleReload()
    if (this.state !== 'open' || this.probing) return
    this.probing = true
    void this.version!.unchanged().then((unchanged) => {
      this.probing = false
      if (this.state === 'open' && !this.closed && !unchanged) this.stopServing()
    })
  }

  private scheduleReload(): void {
    if (this.closed) return
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = null
      void this.reload()
    }, this.deps.debounceMs)
  }

  /** Runs `reloadOnce` until no change came in during it; one at a time. Never rejects. */
  private async reload(): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true
      return
    }
    const run = async (): Promise<void> => {
      do {
        this.reloadAgain = false
        await this.reloadOnce()
      } while (this.reloadAgain && !this.closed)
    }
    this.reloading = run()
      .catch((error: unknown) => console.error(`[TextureService] reopening ${this.path} failed:`, error))
      .finally(() => {
        this.reloading = null
      })
    await this.reloading
  }

  private async reloadOnce(): Promise<void> {
    let next: FileVersion
    try {
      next = await FileVersion.read(this.path)
    } catch (error) {
      // Only a server rejects: it could not say what the file is now.
      if (!this.closed) this.unreachable(error)
      return
    }
    if (this.closed) return
    // An event about something else, or 'gone' and unchanged since it was said: nothing to do.
    if (this.state !== 'reloading' && !this.version!.knownChanged && next.sameAs(this.version!)) return
    this.stopServing()
    const generation = ++this.generation
    let source: RasterSource
    try {
      source = await this.openSource(generation, next)
    } catch (error) {
      if (this.closed) return
      const found = await next.check()
      if (this.closed) return
      // Still being written: the event of the next write reopens it (and the timer, if none comes).
      if (found === 'changed') return this.scheduleReload()
      // The server failed again (or still): the open's failure may be the same outage.
      if (found === 'unknown') return this.unreachable(error)
      return this.fail(error, next)
    }
    if (this.closed) {
      await source.close().catch(() => {})
      return
    }
    this.source = source
    this.infoValue = source.info
    this.version = next
    this.state = 'open'
    this.failure = null
    this.retryMs = UNREACHABLE_RETRY_MS
    this.deps.sink.send({ type: 'raster-updated', rasterId: this.rasterId, info: source.info })
    const held = [...this.held.values()]
    this.held.clear()
    if (held.length > 0) this.deps.tiles.request(this.rasterId, source, held)
  }

  /** Enters 'reloading': tiles in flight are withdrawn (and held), and the old source is closed. */
  private stopServing(): void {
    if (this.state === 'reloading') return
    const wasOpen = this.state === 'open'
    this.state = 'reloading'
    this.generation++
    if (!wasOpen) return
    for (const tile of this.deps.tiles.withdrawRaster(this.rasterId)) this.hold(tile)
    void this.closeSource()
  }

  /**
   * Enters 'unreachable': the held tiles are refused with the server's failure (their reads failed,
   * as a tile of an open raster whose server fails does), and the reopen is tried again later.
   */
  private unreachable(error: unknown): void {
    this.state = 'unreachable'
    this.failure = { code: 'unavailable', message: `Cannot read ${this.path}: ${causeOf(error)}; it is opened again once its server answers` }
    for (const tile of this.held.values()) this.refuse(tile, this.failure)
    this.held.clear()
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = null
      this.retryReload()
    }, this.retryMs)
    this.retryMs = Math.min(this.retryMs * 2, UNREACHABLE_RETRY_MAX_MS)
  }

  /** From 'unreachable': holds the tiles asked from now on and reopens the file (after the debounce). */
  private retryReload(): void {
    if (this.closed || this.state !== 'unreachable') return
    this.state = 'reloading'
    this.scheduleReload()
  }

  /** Enters 'gone': says why once, and refuses the held tiles and every later one. */
  private fail(error: unknown, found: FileVersion): void {
    this.state = 'gone'
    this.version = found
    const remote = isHttpUrl(this.path)
    const failure: ErrorInfo =
      found.stamp === null
        ? remote
          ? { code: 'file-deleted', message: `${this.path} is no longer on its server (${causeOf(error)}); its tiles are no longer served` }
          : { code: 'file-deleted', message: `${this.path} was deleted or moved away while open; its tiles are no longer served` }
        : { code: 'file-changed', message: `${this.path} changed ${remote ? 'on its server' : 'on disk'} and can no longer be read: ${causeOf(error)}` }
    const repeated = this.failure?.code === failure.code && this.failure.message === failure.message
    this.failure = failure
    for (const tile of this.held.values()) this.refuse(tile, failure)
    this.held.clear()
    const info = this.infoValue!
    if (info.strategy === 'pyramid' && !info.pyramidReady) {
      this.deps.sink.send({ type: 'progress', rasterId: this.rasterId, phase: 'pyramid', progress: 1 })
    }
    if (!repeated) this.deps.sink.send({ type: 'error', rasterId: this.rasterId, error: failure })
  }

  private hold(tile: TileRequest): void {
    const key = tileKey({ rasterId: this.rasterId, ...tile })
    const known = this.held.get(key)
    if (known) {
      if (tile.priority <= known.priority) this.held.set(key, tile)
    } else if (this.held.size < this.deps.maxHeld) this.held.set(key, tile)
    else this.refuse(tile, { code: 'overloaded', message: `Dropped: more than ${this.deps.maxHeld} tile requests were held while ${this.path} is reopened` })
  }

  private refuse(tile: TileRequest, error: ErrorInfo): void {
    this.deps.sink.send({ type: 'tile-failed', rasterId: this.rasterId, key: tileKey({ rasterId: this.rasterId, ...tile }), error })
  }

  /** Opens `version` of the file; its hooks speak for this raster while it is the current source. */
  private openSource(generation: number, version: FileVersion): Promise<RasterSource> {
    const current = (): boolean => !this.closed && this.generation === generation
    const say = (message: EventMessage): void => {
      if (!current()) return
      if (this.started) this.deps.sink.send(message)
      else this.unsaid.push(message)
    }
    const view = this.deps.viewSize?.() ?? null
    return this.deps.openRaster(
      this.path,
      {
        ...(view ? { view } : {}),
        onProgress: (progress) => say({ type: 'progress', rasterId: this.rasterId, phase: 'pyramid', progress }),
        onInfo: (info) => {
          if (!current()) return
          this.infoValue = info
          say({ type: 'raster-updated', rasterId: this.rasterId, info })
        },
        onStatistics: (info) => {
          if (!current()) return
          this.infoValue = info
          say({ type: 'info-update', rasterId: this.rasterId, bandInfo: info.bandInfo, statistics: info.statistics, statisticsState: 'final' })
        },
        onError: (error) => {
          // A build that failed because the file changed under it is not news: the reopen follows.
          void version.unchanged().then((unchanged) => {
            if (!current()) return
            if (!unchanged) return this.fileEvent()
            // The build phase is over (tiles now come from the source): progress 1 ends it, the error says why.
            say({ type: 'progress', rasterId: this.rasterId, phase: 'pyramid', progress: 1 })
            say({ type: 'error', rasterId: this.rasterId, error: { code: 'decode-failed', message: error.message } })
          })
        }
      },
      version
    )
  }

  private async closeSource(): Promise<void> {
    const source = this.source
    this.source = null
    await source?.close().catch((error: unknown) => console.error(`[TextureService] closing ${source.info.name}:`, error))
  }
}

/** Why a file did not open, without the "Cannot open <path>:" that the message around it already says. */
function causeOf(error: unknown): string {
  const cause = error instanceof CannotOpenError ? error.reason : messageOf(error)
  return cause.trim().replace(/\s*:\s*$/, '')
}
