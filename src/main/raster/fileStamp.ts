/**
 * Whether a file is still the one that was opened. A raster read in place (a tiled TIFF, the
 * regions of a source without a pyramid) or through a pyramid built from it would otherwise serve
 * pixels of a file rewritten under it: mixed with the old ones, or cut with the old geometry.
 */
import type { Stats } from 'node:fs'
import { stat } from 'node:fs/promises'

/** What identifies one version of a file: a rewrite changes its modification time (or size), a replacement its inode. */
export interface FileStamp {
  size: number
  mtimeMs: number
  ino: number
}

export function stampOf(stats: Stats): FileStamp {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino }
}

/** The stamp of the file at `path` now, or null when there is none (deleted, moved away, unreadable). */
export function readStamp(path: string): Promise<FileStamp | null> {
  return stat(path).then(stampOf, () => null)
}

/** True when both name the same version of a file, or neither names any. */
export function sameStamp(a: FileStamp | null, b: FileStamp | null): boolean {
  if (a === null || b === null) return a === b
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino
}

/** Thrown by a raster whose file changed since it was opened; the service reopens the file instead of reporting a failure. */
export class FileChangedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'FileChangedError'
  }
}

export function isFileChangedError(error: unknown): error is FileChangedError {
  return error instanceof Error && error.name === 'FileChangedError'
}

/**
 * Checks a file against the stamp it was opened with, for many readers at once: every caller is
 * answered by a stat that started after it asked (a stat already under way may have looked before
 * the caller's read ended), and callers that ask while one runs share the next. So the cost is one
 * stat per tile at most, and one per stat's duration (tens of microseconds) when tiles end together.
 * Once changed, always changed: a raster never goes back to trusting its file.
 */
export class FileCheck {
  private running: Promise<boolean> | null = null
  private queued: Promise<boolean> | null = null
  private changed = false

  constructor(
    readonly path: string,
    readonly stamp: FileStamp
  ) {}

  /** True once a check found the file changed. */
  get knownChanged(): boolean {
    return this.changed
  }

  /** Resolves true when the file is unchanged as of a moment after this call. Never rejects. */
  unchanged(): Promise<boolean> {
    if (this.changed) return Promise.resolve(false)
    if (!this.running) return this.begin()
    this.queued ??= this.running.then(() => {
      this.queued = null
      return this.begin()
    })
    return this.queued
  }

  private begin(): Promise<boolean> {
    const running = readStamp(this.path).then((now) => {
      if (this.running === running) this.running = null
      const same = sameStamp(now, this.stamp)
      if (!same) this.changed = true
      return same
    })
    this.running = running
    return running
  }
}
