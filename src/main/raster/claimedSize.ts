/**
 * The size a file's header claims, read from its first bytes before anything decodes it, and the
 * refusal of a claim beyond the limits (issue 22: a 138-byte TIFF claiming 200000 × 200000 took
 * 37 s of CPU — libvips reducing 40 gigapixels for statistics — before the size was checked; the
 * header says it in microseconds). Reads the TIFF/BigTIFF IFD, PNG IHDR, JPEG SOFn, WebP
 * VP8/VP8L/VP8X and GIF screen descriptor. The parsing is pure over a `read` function; the limit is
 * `maxPixels` of `OpenOptions`, the one that `chooseStrategy` applies after the probe.
 */
import { open } from 'node:fs/promises'
import { formatPixels } from './strategy'

/** Reads `length` bytes at `offset` (fewer at the end of the file). */
export type ReadAt = (offset: number, length: number) => Promise<Uint8Array>

/**
 * Strips of at most this many rows may be read in place like tiles (geotiff.js); taller ones need
 * a whole decode, as any non-tiled image. The probe's `RANDOM_ACCESS_MAX_ROWS`.
 */
export const IN_PLACE_MAX_STRIP_ROWS = 512

/** What a header claims. */
export interface ClaimedSize {
  container: 'TIFF' | 'BigTIFF' | 'PNG' | 'JPEG' | 'WebP' | 'GIF'
  width: number
  height: number
  /** A TIFF's blocks: their size, how many the size needs, how many its offsets list. */
  blocks?: { tiled: boolean; width: number; height: number; needed: number; listed: number }
}

/** Most IFD entries read (a real TIFF has a few dozen; the count is 16 bits). */
const MAX_IFD_ENTRIES = 4096
/** Most JPEG segments walked before its SOF (APPn, DQT, DHT… a real file has a dozen or two). */
const MAX_JPEG_SEGMENTS = 1024

/** The size the file's header claims, or null for a format not read here or a header too short to say. */
export async function readClaimedSize(read: ReadAt): Promise<ClaimedSize | null> {
  const head = await read(0, 32)
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength)
  const ascii = (from: number, to: number): string => String.fromCharCode(...head.subarray(from, to))
  if (head.length >= 24 && head[0] === 0x89 && ascii(1, 4) === 'PNG' && ascii(12, 16) === 'IHDR') {
    return { container: 'PNG', width: view.getUint32(16), height: view.getUint32(20) }
  }
  if (head.length >= 10 && ascii(0, 4) === 'GIF8') return { container: 'GIF', width: view.getUint16(6, true), height: view.getUint16(8, true) }
  if (head.length >= 30 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return webpSize(head, view, ascii(12, 16))
  if (head.length >= 4 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return jpegSize(read)
  if (head.length >= 8 && (ascii(0, 2) === 'II' || ascii(0, 2) === 'MM')) return tiffSize(read, head)
  return null
}

/**
 * Why a claim is refused, or null when it is within the limits (or may be read in place). Above
 * `maxPixels`, only a TIFF read in place — tiled, or in strips short enough — is opened, and only
 * when its offsets list every block: a file cannot hold pixels it has no offsets for.
 */
export function claimRefusal(claim: ClaimedSize, fileSize: number, maxPixels: number): string | null {
  const pixels = claim.width * claim.height
  if (pixels <= maxPixels) return null
  const size = `${claim.width}×${claim.height} = ${formatPixels(pixels)}`
  const limit = `above the limit of ${formatPixels(maxPixels)} for non-tiled images`
  const said = `its ${claim.container} header says so; nothing was decoded`
  const blocks = claim.blocks
  if (!blocks) return `it is ${size}, ${limit} (${said})`
  const inPlace = blocks.tiled || blocks.height <= IN_PLACE_MAX_STRIP_ROWS
  if (!inPlace) {
    return `it is ${size} in strips of ${blocks.height} rows, ${limit} (${said}); convert it to a tiled GeoTIFF with GDAL: gdal_translate -co TILED=YES -co COMPRESS=DEFLATE <file> <tiled file>`
  }
  if (blocks.listed < blocks.needed) {
    const kind = blocks.tiled ? 'tile' : 'strip'
    return (
      `it claims ${size}, ${limit}, in ${blocks.needed} ${kind}s of ${blocks.width}×${blocks.height}, but its ${blocks.tiled ? 'TileOffsets' : 'StripOffsets'} ` +
      `list${blocks.listed === 1 ? 's' : ''} ${blocks.listed} (the file is ${fileSize} bytes): its header is damaged or invalid (${said})`
    )
  }
  return null
}

/** The sizes of a WebP's first chunk: VP8X (the canvas), VP8L or VP8 (the image). */
function webpSize(head: Uint8Array, view: DataView, chunk: string): ClaimedSize | null {
  const uint24 = (at: number): number => head[at]! | (head[at + 1]! << 8) | (head[at + 2]! << 16)
  if (chunk === 'VP8X') return { container: 'WebP', width: 1 + uint24(24), height: 1 + uint24(27) }
  if (chunk === 'VP8L' && head[20] === 0x2f) {
    const bits = view.getUint32(21, true)
    return { container: 'WebP', width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff) }
  }
  if (chunk === 'VP8 ' && head[23] === 0x9d && head[24] === 0x01 && head[25] === 0x2a) {
    return { container: 'WebP', width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff }
  }
  return null
}

/**
 * Why the file at `path` is refused from its header alone, or null (within the limits, not a
 * header read here, or unreadable: the probe says why then). A few reads of at most a few KiB.
 */
export async function claimRefusalOf(path: string, fileSize: number, maxPixels: number): Promise<string | null> {
  const handle = await open(path, 'r').catch(() => null)
  if (!handle) return null
  try {
    const read: ReadAt = async (offset, length) => {
      const bytes = new Uint8Array(Math.max(0, Math.min(length, fileSize - offset)))
      if (bytes.length === 0 || !Number.isSafeInteger(offset) || offset < 0) return new Uint8Array(0)
      const { bytesRead } = await handle.read(bytes, 0, bytes.length, offset)
      return bytes.subarray(0, bytesRead)
    }
    const claim = await readClaimedSize(read)
    return claim ? claimRefusal(claim, fileSize, maxPixels) : null
  } finally {
    await handle.close()
  }
}

/** A JPEG's size from its first SOFn (baseline, progressive, lossless, arithmetic), walking the segments before it. */
async function jpegSize(read: ReadAt): Promise<ClaimedSize | null> {
  let at = 2
  for (let segment = 0; segment < MAX_JPEG_SEGMENTS; segment++) {
    const bytes = await read(at, 9)
    if (bytes.length < 4 || bytes[0] !== 0xff) return null
    const marker = bytes[1]!
    if (marker === 0xff) {
      at++ // fill byte
      continue
    }
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
    if (isSof) {
      if (bytes.length < 9) return null
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      return { container: 'JPEG', height: view.getUint16(5), width: view.getUint16(7) }
    }
    if (marker === 0xd9 || marker === 0xda) return null // end of image, or scan data before any frame header
    const standalone = marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)
    at += standalone ? 2 : 2 + ((bytes[2]! << 8) | bytes[3]!)
  }
  return null
}

/** A TIFF's (or BigTIFF's) first IFD: its size and its blocks. */
async function tiffSize(read: ReadAt, head: Uint8Array): Promise<ClaimedSize | null> {
  const little = head[0] === 0x49
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength)
  const magic = view.getUint16(2, little)
  const big = magic === 43
  if (magic !== 42 && !big) return null
  const ifdOffset = big ? Number(view.getBigUint64(8, little)) : view.getUint32(4, little)
  const countBytes = await read(ifdOffset, big ? 8 : 2)
  if (countBytes.length < (big ? 8 : 2)) return null
  const countView = new DataView(countBytes.buffer, countBytes.byteOffset, countBytes.byteLength)
  const count = Math.min(MAX_IFD_ENTRIES, big ? Number(countView.getBigUint64(0, little)) : countView.getUint16(0, little))
  const entrySize = big ? 20 : 12
  const entries = await read(ifdOffset + (big ? 8 : 2), count * entrySize)
  const ev = new DataView(entries.buffer, entries.byteOffset, entries.byteLength)
  const tags = new Map<number, { count: number; value: number }>()
  for (let i = 0; (i + 1) * entrySize <= entries.length; i++) {
    const at = i * entrySize
    const tag = ev.getUint16(at, little)
    const type = ev.getUint16(at + 2, little)
    const valueCount = big ? Number(ev.getBigUint64(at + 4, little)) : ev.getUint32(at + 4, little)
    const valueAt = at + (big ? 12 : 8)
    // The first value when it is stored in the entry (SHORT, LONG, LONG8); the count is what matters for offsets.
    const value = type === 3 ? ev.getUint16(valueAt, little) : type === 4 ? ev.getUint32(valueAt, little) : type === 16 && big ? Number(ev.getBigUint64(valueAt, little)) : Number.NaN
    tags.set(tag, { count: valueCount, value })
  }
  const width = tags.get(256)?.value
  const height = tags.get(257)?.value
  if (width === undefined || height === undefined || !(width > 0) || !(height > 0)) return null
  const container = big ? 'BigTIFF' : 'TIFF'
  const tiled = tags.has(322) || tags.has(323)
  const blockWidth = tiled ? tags.get(322)?.value ?? Number.NaN : width
  const rowsPerStrip = tags.get(278)?.value
  const blockHeight = tiled ? tags.get(323)?.value ?? Number.NaN : Math.min(height, rowsPerStrip !== undefined && rowsPerStrip > 0 ? rowsPerStrip : height)
  if (!(blockWidth > 0) || !(blockHeight > 0)) return { container, width, height } // said by the decoder (a tile size out of range)
  const planes = tags.get(284)?.value === 2 ? (tags.get(277)?.value ?? 1) : 1
  const needed = Math.ceil(width / blockWidth) * Math.ceil(height / blockHeight) * planes
  const listed = tags.get(tiled ? 324 : 273)?.count ?? 0
  return { container, width, height, blocks: { tiled, width: blockWidth, height: blockHeight, needed, listed } }
}
