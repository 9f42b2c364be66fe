/**
 * Worker side: open GeoTIFF handles (geotiff.js), kept per worker and reopened when the file on
 * disk is another version (size, modification time or inode changed), so that a rewritten file is
 * never read with its old IFDs.
 */
import { statSync } from 'node:fs'
import { type GeoTIFF, fromFile } from 'geotiff'

export type GeoImage = Awaited<ReturnType<GeoTIFF['getImage']>>

interface OpenTiff {
  version: string
  tiff: Promise<GeoTIFF>
}

/** Open handles kept per worker: enough for the layers of a session, few enough for file descriptors. */
const MAX_OPEN = 32
const open = new Map<string, OpenTiff>()

/** The GeoTIFF of `path` as it is on disk now. */
export function openTiff(path: string): Promise<GeoTIFF> {
  const stats = statSync(path)
  const version = `${stats.size}:${stats.mtimeMs}:${stats.ino}`
  const known = open.get(path)
  if (known && known.version === version) {
    open.delete(path) // most recently used last
    open.set(path, known)
    return known.tiff
  }
  if (known) forget(path, known)
  const tiff = fromFile(path)
  const entry = { version, tiff }
  open.set(path, entry)
  tiff.catch(() => open.get(path) === entry && open.delete(path))
  while (open.size > MAX_OPEN) {
    const [oldest, value] = open.entries().next().value as [string, OpenTiff]
    forget(oldest, value)
  }
  return tiff
}

function forget(path: string, entry: OpenTiff): void {
  open.delete(path)
  entry.tiff.then((tiff) => (tiff as { close?: () => unknown }).close?.(), () => {})
}

/** Closes every handle (a probe starts from what is on disk). */
export function forgetOpenTiffs(): void {
  for (const [path, entry] of [...open]) forget(path, entry)
}
