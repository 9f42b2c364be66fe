/**
 * What identifies a version of a file, and the error of a read of a file that changed. A raster
 * read in place (a tiled TIFF, the regions of a source without a pyramid) or through a pyramid
 * built from it would otherwise serve pixels of a file rewritten under it: mixed with the old
 * ones, or cut with the old geometry. Whether the file of an open raster changed is known by its
 * `FileVersion` (`fileVersion.ts`) alone.
 */
import type { Stats } from 'node:fs'
import { stat } from 'node:fs/promises'

/** What identifies one version of a file: a rewrite changes its modification time (or size), a replacement its inode. */
export interface FileStamp {
  size: number
  mtimeMs: number
  ino: number
  /** A file on a server (`remoteFiles.ts`): its ETag or Last-Modified, which a replacement changes. */
  tag?: string
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
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino && a.tag === b.tag
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
