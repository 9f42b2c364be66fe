/**
 * Binary framing of a tile: one frame carries one texture.
 *
 *   bytes 0..3   magic 'TSR1'
 *   bytes 4..7   header length H (uint32, little-endian)
 *   bytes 8..8+H header, UTF-8 JSON (`TileHeader`)
 *   padding      zeros up to the next multiple of 8, so the pixels can be viewed as Float64Array in place
 *   rest         pixel bytes
 *
 * Pixels are never JSON or base64. Decoding returns views on the received buffer (no copy).
 */
import { expectedMessage, messageOf } from './errors'
import type { SampleType } from './raster'
import type { TileEncoding, TileHeader, TileMessage } from './protocol'
import { tileKey } from './tiles'

const MAGIC = 0x31525354 // 'TSR1' read as little-endian uint32
const PREFIX = 8

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** Bytes per sample of each sample type. */
export const BYTES_PER_SAMPLE: Record<SampleType, number> = {
  uint8: 1,
  int8: 1,
  uint16: 2,
  int16: 2,
  uint32: 4,
  int32: 4,
  float32: 4,
  float64: 8
}

/** Builds one frame from a header and the tile's pixel bytes. */
export function encodeTileFrame(header: TileHeader, pixels: ArrayBufferView): Uint8Array {
  const json = encoder.encode(JSON.stringify(header))
  const dataOffset = align8(PREFIX + json.byteLength)
  const frame = new Uint8Array(dataOffset + pixels.byteLength)
  const view = new DataView(frame.buffer)
  view.setUint32(0, MAGIC, true)
  view.setUint32(4, json.byteLength, true)
  frame.set(json, PREFIX)
  frame.set(new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength), dataOffset)
  return frame
}

/** True when `bytes` starts like a tile frame (used to tell tile frames from other binary frames). */
export function isTileFrame(bytes: Uint8Array): boolean {
  return bytes.byteLength >= PREFIX && new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) === MAGIC
}

/** A frame's header and its payload bytes as sent (raw samples, or a compressed tile: `header.encoding`). */
export interface TileFramePayload {
  header: TileHeader
  payload: Uint8Array
}

/**
 * Parses a frame into its header and payload without interpreting the payload (a compressed tile
 * is decoded by whoever can: the renderer's tile worker). Throws like `decodeTileFrame`.
 */
export function decodeTileFramePayload(frame: ArrayBuffer | Uint8Array): TileFramePayload {
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame)
  if (!isTileFrame(bytes)) throw new Error('Expected a tile frame (magic TSR1) but received other bytes')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const headerLength = view.getUint32(4, true)
  if (PREFIX + headerLength > bytes.byteLength) {
    throw new Error(`Tile frame header length ${headerLength} overruns the frame of ${bytes.byteLength} bytes`)
  }
  const header = parseHeader(bytes.subarray(PREFIX, PREFIX + headerLength))
  return { header, payload: bytes.subarray(Math.min(bytes.byteLength, align8(PREFIX + headerLength))) }
}

/**
 * Parses a frame; throws an Error naming what is wrong for anything that is not a well-formed
 * tile frame (bad magic, header overrun, pixel count not matching width × height × channels).
 */
export function decodeTileFrame(frame: ArrayBuffer | Uint8Array): TileMessage {
  let bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame)
  if (bytes.byteOffset % 8 !== 0) bytes = bytes.slice() // typed views need aligned offsets
  const { header, payload } = decodeTileFramePayload(bytes)
  const name = tileKey(header)
  if (header.encoding !== undefined) {
    throw new Error(`Tile frame ${name} is ${header.encoding}-compressed: decode it with decodeTileFramePayload and a decoder`)
  }
  const samples = header.width * header.height * header.channels
  const expected = samples * BYTES_PER_SAMPLE[header.sampleType]
  if (payload.byteLength !== expected) throw new Error(`Tile frame ${name} carries ${payload.byteLength} pixel bytes, expected ${expected}`)
  return { header, data: typedSamples(header.sampleType, bytes.buffer as ArrayBuffer, payload.byteOffset, samples) }
}

/** The encodings a frame may say (`TileHeader.encoding`). */
const TILE_ENCODINGS: ReadonlySet<TileEncoding> = new Set<TileEncoding>(['jpeg', 'webp', 'png', 'empty'])

/** The header's JSON, checked enough that the pixel arithmetic below cannot go wrong silently. */
function parseHeader(json: Uint8Array): TileHeader {
  let header: unknown
  try {
    header = JSON.parse(decoder.decode(json))
  } catch (error) {
    throw new Error(`Tile frame header is not valid JSON: ${messageOf(error)}`)
  }
  if (typeof header !== 'object' || header === null) throw new Error(`Tile frame header is not an object but ${JSON.stringify(header)}`)
  const h = header as Record<string, unknown>
  if (typeof h.sampleType !== 'string' || !Object.hasOwn(BYTES_PER_SAMPLE, h.sampleType)) {
    throw new Error(`Unknown sample type ${String(h.sampleType)} in tile frame`)
  }
  for (const name of ['level', 'col', 'row', 'width', 'height', 'channels'] as const) {
    const value = h[name]
    if (!Number.isSafeInteger(value) || (value as number) < 0) {
      throw new Error(expectedMessage('non-negative integer', `tile frame ${name}`, value))
    }
  }
  if (typeof h.rasterId !== 'string') throw new Error(expectedMessage('string', 'tile frame rasterId', h.rasterId))
  if (h.encoding !== undefined && !TILE_ENCODINGS.has(h.encoding as TileEncoding)) throw new Error(`Unknown tile encoding ${JSON.stringify(h.encoding)} in tile frame`)
  return header as TileHeader
}

/** A typed array of `type` over `length` samples of a buffer (no copy). */
export function typedSamples(type: SampleType, buffer: ArrayBufferLike, offset: number, length: number): TileMessage['data'] {
  switch (type) {
    case 'uint8':
      return new Uint8Array(buffer, offset, length)
    case 'int8':
      return new Int8Array(buffer, offset, length)
    case 'uint16':
      return new Uint16Array(buffer, offset, length)
    case 'int16':
      return new Int16Array(buffer, offset, length)
    case 'uint32':
      return new Uint32Array(buffer, offset, length)
    case 'int32':
      return new Int32Array(buffer, offset, length)
    case 'float32':
      return new Float32Array(buffer, offset, length)
    case 'float64':
      return new Float64Array(buffer, offset, length)
  }
}

function align8(n: number): number {
  return (n + 7) & ~7
}
