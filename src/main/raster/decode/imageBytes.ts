/**
 * An encoded image received whole (a web map tile: PNG, JPEG, WebP, GIF, TIFF) decoded by libvips
 * into RGBA8 of the size the server was asked for, and cut to the tile's top-left part. A body
 * that is not an image, or an image of another size, is refused in words: a server's error page
 * or an image of the wrong size must never be drawn as the map.
 */
import sharp, { type OutputInfo } from 'sharp'
import type { DecodeImageJob, TilePixels } from './jobs'
import { copyToArrayBuffer } from './pixels'

/** Decodes `job.bytes`; rejects with an Error naming `job.url` and the cause. */
export async function decodeImageBytes(job: DecodeImageJob): Promise<TilePixels> {
  const bytes = new Uint8Array(job.bytes)
  let decoded: { data: Buffer; info: OutputInfo }
  try {
    decoded = await sharp(bytes, { failOn: 'error' }).toColourspace('srgb').ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  } catch (error) {
    throw new Error(`${job.url} answered ${describeBody(bytes)}, not an image Tessera decodes (${firstLine(error)})`)
  }
  const { data, info } = decoded
  if (info.width !== job.imageWidth || info.height !== job.imageHeight) {
    throw new Error(`${job.url} answered an image of ${info.width} × ${info.height} pixels where ${job.imageWidth} × ${job.imageHeight} were asked for`)
  }
  if (info.channels !== 4) throw new Error(`${job.url}: decoded ${info.channels} channels where 4 were expected`)
  const width = Math.min(job.width, info.width)
  const height = Math.min(job.height, info.height)
  if (width === info.width && height === info.height) return { width, height, channels: 4, sampleType: 'uint8', buffer: copyToArrayBuffer(data) }
  const out = new Uint8Array(width * height * 4)
  for (let row = 0; row < height; row++) out.set(data.subarray(row * info.width * 4, (row * info.width + width) * 4), row * width * 4)
  return { width, height, channels: 4, sampleType: 'uint8', buffer: out.buffer }
}

/** What a body that is not an image looks like, for the message: its size and first characters when they are text. */
function describeBody(bytes: Uint8Array): string {
  if (bytes.byteLength === 0) return 'an empty body'
  const head = Buffer.from(bytes.subarray(0, 80)).toString('latin1')
  const printable = /^[\x09\x0a\x0d\x20-\x7e]*$/.test(head)
  return printable ? `${bytes.byteLength} bytes starting "${head.replace(/\s+/g, ' ').trim().slice(0, 60)}"` : `${bytes.byteLength} bytes`
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim()
}
