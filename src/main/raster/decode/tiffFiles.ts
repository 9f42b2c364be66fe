/**
 * Worker side: open GeoTIFF handles (geotiff.js), kept per worker and reopened when the file on
 * disk is another version (size, modification time or inode changed), so that a rewritten file is
 * never read with its old IFDs. A file on a server (`remoteLocation.ts`) is read through the main
 * thread (`AskingSource`); its location names its version, so another version is another handle.
 */
import { statSync } from 'node:fs'
import { GeoTIFF, fromFile } from 'geotiff'
import { parseRemoteLocation } from './remoteLocation'
import { AskingSource } from './remoteSource'
import { registerWebpDecoder } from './webpTiles'

// geotiff.js' WebP decoder needs a browser: the WebP tiles it reads (a COG by URL) are libvips'.
registerWebpDecoder()

export type GeoImage = Awaited<ReturnType<GeoTIFF['getImage']>>

interface OpenTiff {
  version: string
  tiff: Promise<GeoTIFF>
}

/** Open handles kept per worker: enough for the layers of a session, few enough for file descriptors. */
const MAX_OPEN = 32
const open = new Map<string, OpenTiff>()

/** The GeoTIFF of `path` as it is on disk now, or of the version of a remote file it names. */
export function openTiff(path: string): Promise<GeoTIFF> {
  const remote = parseRemoteLocation(path)
  if (remote) return openRemoteTiff(path, remote)
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
  trim()
  return tiff
}

/**
 * A remote file's GeoTIFF. geotiff.js keeps the promises of what it fetched, failed ones too: after
 * a failed read (a job cancelled while its bytes were asked for) the handle is dropped, and the
 * next job opens it again from the main thread's block cache.
 */
function openRemoteTiff(location: string, ref: NonNullable<ReturnType<typeof parseRemoteLocation>>): Promise<GeoTIFF> {
  const known = open.get(location)
  if (known) {
    open.delete(location)
    open.set(location, known)
    return known.tiff
  }
  let entry: OpenTiff | null = null
  const failed = (): void => {
    if (entry && open.get(location) === entry) open.delete(location)
  }
  const tiff = GeoTIFF.fromSource(new AskingSource(ref, undefined, failed))
  entry = { version: location, tiff }
  open.set(location, entry)
  tiff.catch(failed)
  trim()
  return tiff
}

/** The size of the file `path` names: on disk, or as the server said. */
export function fileSizeOf(path: string): number {
  return parseRemoteLocation(path)?.size ?? statSync(path).size
}

function trim(): void {
  while (open.size > MAX_OPEN) {
    const [oldest, value] = open.entries().next().value as [string, OpenTiff]
    forget(oldest, value)
  }
}

function forget(path: string, entry: OpenTiff): void {
  open.delete(path)
  entry.tiff.then((tiff) => (tiff as { close?: () => unknown }).close?.(), () => {})
}

/** Closes every handle (a probe starts from what is on disk). */
export function forgetOpenTiffs(): void {
  for (const [path, entry] of [...open]) forget(path, entry)
}
