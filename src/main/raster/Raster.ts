/**
 * The one RasterSource implementation: validates tile addresses, names the file in errors, and
 * delegates to the reader its strategy chose (a pyramid source switches reader when its pyramid
 * is ready).
 */
import { TesseraError, messageOf } from '../../shared/errors'
import { isTileInPyramid, tileCoordKey } from '../../shared/tiles'
import { abortError, isAbortError } from '../pool/errors'
import { isServerUnavailable } from '../remote/errors'
import { FileChangedError, isFileChangedError } from './fileStamp'
import type { FileVersion } from './fileVersion'
import type { TileReader } from './readers'
import type { TileEncoding } from '../../shared/protocol'
import type { DecodedTile, LoadedTile, RasterInfo, RasterSource } from './types'

export class Raster implements RasterSource {
  private closed = false
  private readonly closers: (() => void | Promise<void>)[] = []
  private version: FileVersion | null = null

  constructor(
    readonly info: RasterInfo,
    /** Absolute path of the file, for error messages. */
    readonly path: string,
    private reader: TileReader
  ) {}

  /** Serves the following tiles from `reader` (the built pyramid instead of the overview). */
  useReader(reader: TileReader): void {
    this.reader = reader
  }

  /**
   * Tells a failed read caused by the file changing under it (cut short, rewritten) from a damaged
   * file: the first is refused with a FileChangedError, the service then reopens the file. (Reads
   * that succeed are checked by the readers of files read in place against the same version.)
   * Once the version knows its file changed, no tile is read any more.
   */
  checkFile(version: FileVersion): void {
    this.version = version
  }

  /**
   * Set by `prefetchWith` (a raster read from a server): see `RasterSource.prefetch`. Absent on a
   * file read from disk, so that the service does not prepare a prefetch for its tiles.
   */
  prefetch?: (level: number, col: number, row: number, signal: AbortSignal, urgency?: { priority: number; rank: number }) => void

  /** Fetches the bytes of scheduled tiles ahead of their decode with `prefetch`: tiles of the pyramid, while the raster is open and unchanged. */
  prefetchWith(prefetch: NonNullable<Raster['prefetch']>): void {
    this.prefetch = (level, col, row, signal, urgency) => {
      if (this.closed || this.version?.knownChanged || !isTileInPyramid(this.info.levels, this.info.tileSize, level, col, row)) return
      prefetch(level, col, row, signal, urgency)
    }
  }

  /** Runs `closer` on close (abort a build, release shared pixels). */
  onClose(closer: () => void | Promise<void>): void {
    this.closers.push(closer)
  }

  get isClosed(): boolean {
    return this.closed
  }

  readTile(level: number, col: number, row: number, signal?: AbortSignal): Promise<DecodedTile> {
    return this.guarded(level, col, row, signal, () => this.reader.read(level, col, row, signal))
  }

  /** `readTile`, or the stored tile where the reader keeps one in an accepted encoding. */
  readTileAs(level: number, col: number, row: number, accept: ReadonlySet<TileEncoding>, signal?: AbortSignal): Promise<LoadedTile> {
    const reader = this.reader
    if (accept.size === 0 || !reader.readAs) return this.readTile(level, col, row, signal)
    return this.guarded(level, col, row, signal, () => reader.readAs!(level, col, row, accept, signal))
  }

  /** Runs a read of tile (level, col, row) with the checks and the error naming every read has. */
  private async guarded<T>(level: number, col: number, row: number, signal: AbortSignal | undefined, read: () => Promise<T>): Promise<T> {
    const key = tileCoordKey({ level, col, row })
    if (signal?.aborted) throw abortError(`Reading tile ${key} of ${this.path}`)
    if (this.closed) throw new Error(`Cannot read tile ${key} of ${this.path}: the raster is closed`)
    if (!isTileInPyramid(this.info.levels, this.info.tileSize, level, col, row)) {
      const last = this.info.levels.length - 1
      throw new Error(`Tile ${key} is outside the pyramid of ${this.path}: expected level 0…${last} and a column and row inside that level's grid`)
    }
    if (this.version?.knownChanged) throw this.changedError(key)
    try {
      return await read()
    } catch (error) {
      if (isAbortError(error)) throw abortError(`Reading tile ${key} of ${this.path}`)
      if (isFileChangedError(error)) throw error
      if (this.version && !(await this.version.unchanged())) throw this.changedError(key)
      const message = `Cannot read tile ${key} of ${this.path}: ${messageOf(error)}`
      // The server or the network failed for now: the renderer asks for the tile again later.
      if (isServerUnavailable(error)) throw new TesseraError('unavailable', message)
      throw new Error(message)
    }
  }

  private changedError(key: string): FileChangedError {
    return new FileChangedError(`${this.path} changed on disk since it was opened: tile ${key} of the old content is not served`)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await Promise.all(this.closers.splice(0).map((closer) => closer()))
  }
}
