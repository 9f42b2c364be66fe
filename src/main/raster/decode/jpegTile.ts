/**
 * Worker side: a TIFF's own JPEG or WebP tile, read as it is stored (`JpegTileJob`). A WebP tile is
 * a complete RIFF WebP file as it is. For JPEG, libtiff writes the
 * tables every tile shares once, in JPEGTables (SOI, tables, EOI), and each tile as an abbreviated
 * stream (SOI, frame, scan, EOI): the tables stream without its EOI followed by the tile stream
 * without its SOI is one complete stream any JPEG decoder reads.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs'
import type { JpegTileJob, TileBytes, TilePixels } from './jobs'
import { readRegion } from './region'
import { openTiff } from './tiffFiles'
import { parseRemoteLocation } from './remoteLocation'
import { readRemoteRange } from './remoteSource'

/** A tile's bytes longer than this are not a tile of 256² (a damaged count): decoded instead. */
const MAX_TILE_BYTES = 16 * 1024 * 1024

/** The tile's JPEG stream, or its pixels decoded by the job's fallback when it has none to send. */
export async function readJpegTile(job: JpegTileJob): Promise<TileBytes | TilePixels> {
  const bytes = await storedTile(job)
  if (!bytes) return readRegion(job.fallback)
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice()
  const tile: TileBytes = { encoding: job.encoding, width: job.width, height: job.height, buffer: own.buffer as ArrayBuffer }
  if (job.stampFile) {
    // After the read, as a region job: a write at any time before this changes the stamp.
    const stats = statSync(job.path, { throwIfNoEntry: false })
    tile.fileStamp = stats ? { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino } : null
  }
  return tile
}

/** The tile's stream in a buffer of its own (JPEG: tables joined), or null for a sparse tile or one that is not such a stream. */
async function storedTile(job: JpegTileJob): Promise<Uint8Array | null> {
  const tiff = await openTiff(job.path)
  const directory = (await tiff.getImage(job.page)).fileDirectory
  const offset = Number(await directory.loadValueIndexed('TileOffsets', job.tileIndex))
  const count = Number(await directory.loadValueIndexed('TileByteCounts', job.tileIndex))
  if (!(count > 4) || count > MAX_TILE_BYTES || !Number.isSafeInteger(offset)) return null
  if (job.encoding === 'webp') {
    const stream = await readAt(job.path, offset, count)
    return isWebpFile(stream) ? stream : null
  }
  const tables = (await directory.loadValue('JPEGTables')) as ArrayLike<number> | undefined
  const stream = await readAt(job.path, offset, count)
  return joinJpegTables(tables ? Uint8Array.from(tables) : null, stream)
}

/**
 * One complete JPEG stream from the tables stream and a tile stream: `tables` without its trailing
 * EOI, then `tile` without its leading SOI (the tile alone when there are no tables). Null when
 * either is not what libtiff writes (no SOI, tables without EOI): such a tile is decoded instead.
 */
export function joinJpegTables(tables: Uint8Array | null, tile: Uint8Array): Uint8Array | null {
  if (!startsWithSoi(tile)) return null
  if (!tables || tables.byteLength === 0) return tile
  const n = tables.byteLength
  if (!startsWithSoi(tables) || n < 4 || tables[n - 2] !== 0xff || tables[n - 1] !== 0xd9) return null
  const joined = new Uint8Array(n - 2 + tile.byteLength - 2)
  joined.set(tables.subarray(0, n - 2), 0)
  joined.set(tile.subarray(2), n - 2)
  return joined
}

/** 'RIFF', a size, 'WEBP': a WebP file as libwebp writes it. */
export function isWebpFile(bytes: Uint8Array): boolean {
  const ascii = (from: number, text: string): boolean => [...text].every((c, i) => bytes[from + i] === c.charCodeAt(0))
  return bytes.byteLength >= 12 && ascii(0, 'RIFF') && ascii(8, 'WEBP')
}

function startsWithSoi(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 2 && bytes[0] === 0xff && bytes[1] === 0xd8
}

/**
 * `length` bytes of the file at `offset` (fewer when the file is shorter: the stamp says whether it
 * changed); of a file on a server, asked of the main thread (which checks its version).
 */
async function readAt(path: string, offset: number, length: number): Promise<Uint8Array> {
  const remote = parseRemoteLocation(path)
  if (remote) return readRemoteRange(remote, offset, length)
  const bytes = new Uint8Array(length)
  const fd = openSync(path, 'r')
  try {
    let read = 0
    while (read < length) {
      const n = readSync(fd, bytes, read, length - read, offset + read)
      if (n === 0) break
      read += n
    }
    return read === length ? bytes : bytes.slice(0, read)
  } finally {
    closeSync(fd)
  }
}
