/**
 * The version of a file that an open raster serves: the one place that knows whether the file
 * changed since. A service makes one per open (LiveRaster), hands it to the opener, and the readers
 * of the file check their reads against it; the service's watch asks it too. Once it has found the
 * file changed, it says so for good: a raster never goes back to trusting its file.
 *
 * A file on a server may also be impossible to check for a while (a 5xx, a reset, a timeout): that
 * is neither a change nor a deletion, and the check says 'unknown' rather than guess. Only a server
 * that answers that the file is not there (404, 410, another refusal of the request) makes it absent.
 */
import { type FileStamp, readStamp, sameStamp } from './fileStamp'
import { isHttpUrl } from './rasterUrl'
import { readRemoteStamp } from './remoteFiles'

/**
 * The stamp of the file at `path` now: on disk (null when there is none), or on its server (an
 * http(s) URL: its ETag or Last-Modified; null when the server says it is not there). Rejects, for
 * a URL only, when the server cannot say now (`readRemoteStamp`).
 */
function readStampOf(path: string): Promise<FileStamp | null> {
  return isHttpUrl(path) ? readRemoteStamp(path) : readStamp(path)
}

/** What a check found: the file is still this version, it changed (or went away), or its server could not say. */
export type VersionCheck = 'unchanged' | 'changed' | 'unknown'

export class FileVersion {
  private running: Promise<VersionCheck> | null = null
  private queued: Promise<VersionCheck> | null = null
  private changed = false

  constructor(
    /** The file (absolute, or as the opener was given it; a URL for a file on a server). */
    readonly path: string,
    /** Its stamp when this version was taken; null when there was no file. */
    readonly stamp: FileStamp | null
  ) {}

  /** The version of the file at `path` now; rejects (a URL only) with a CannotOpenError naming the cause when its server cannot say. */
  static async read(path: string): Promise<FileVersion> {
    return new FileVersion(path, await readStampOf(path))
  }

  /** True once a check found the file changed. */
  get knownChanged(): boolean {
    return this.changed
  }

  /** True when `other` names the same version of the same file content (both absent counts as the same). */
  sameAs(other: FileVersion): boolean {
    return sameStamp(this.stamp, other.stamp)
  }

  /**
   * True when a read that saw the file at `stamp` (taken by the worker around its read) read this
   * version; false, and the file known changed from now on, otherwise.
   */
  matches(stamp: FileStamp | null): boolean {
    if (this.changed) return false
    if (sameStamp(stamp, this.stamp)) return true
    this.changed = true
    return false
  }

  /**
   * Resolves true when the file is not known to be another version as of a moment after this call:
   * it is this version, or its server could not say (the read that asked fails with its own error
   * instead of being taken for a change). Never rejects. See `check`.
   */
  unchanged(): Promise<boolean> {
    return this.check().then((found) => found !== 'changed')
  }

  /**
   * What the file is as of a moment after this call. Every caller is answered by a stat (or a
   * request) that started after it asked (one already under way may have looked before the
   * caller's read ended), and callers that ask while one runs share the next: one stat per tile at
   * most, and one per stat's duration when tiles end together. 'unknown' leaves the version as it
   * was. Never rejects.
   */
  check(): Promise<VersionCheck> {
    if (this.changed) return Promise.resolve('changed')
    if (!this.running) return this.begin()
    this.queued ??= this.running.then(() => {
      this.queued = null
      return this.begin()
    })
    return this.queued
  }

  private begin(): Promise<VersionCheck> {
    const running: Promise<VersionCheck> = readStampOf(this.path)
      .then(
        (now): VersionCheck => (this.matches(now) ? 'unchanged' : 'changed'),
        (): VersionCheck => 'unknown'
      )
      .then((found) => {
        if (this.running === running) this.running = null
        return found
      })
    this.running = running
    return running
  }
}
