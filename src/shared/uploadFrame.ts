/**
 * Binary framing of one chunk of an uploaded file (browser → `npm run serve` host):
 *
 *   bytes 0..3    magic 'TSU1' (distinct from tile frames, 'TSR1')
 *   bytes 4..7    uploadId length L (uint32, little-endian)
 *   bytes 8..15   offset of the chunk in the file (float64, little-endian; an integer)
 *   bytes 16..16+L uploadId, UTF-8
 *   rest          the chunk's bytes
 *
 * No Node, no DOM. Decoding returns a view on the received bytes (no copy).
 */
import { TesseraError, expectedMessage } from './errors'

const MAGIC = 0x31555354 // 'TSU1' read as little-endian uint32
const PREFIX = 16
/** Longest uploadId accepted in a frame. */
export const MAX_UPLOAD_ID_LENGTH = 128

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** One decoded chunk frame. */
export interface UploadChunk {
  uploadId: string
  offset: number
  bytes: Uint8Array
}

/** Builds one chunk frame. */
export function encodeUploadFrame(uploadId: string, offset: number, bytes: Uint8Array): Uint8Array {
  const id = encoder.encode(uploadId)
  const frame = new Uint8Array(PREFIX + id.byteLength + bytes.byteLength)
  const view = new DataView(frame.buffer)
  view.setUint32(0, MAGIC, true)
  view.setUint32(4, id.byteLength, true)
  view.setFloat64(8, offset, true)
  frame.set(id, PREFIX)
  frame.set(bytes, PREFIX + id.byteLength)
  return frame
}

/** True when `bytes` starts like an upload chunk frame. */
export function isUploadFrame(bytes: Uint8Array): boolean {
  return bytes.byteLength >= PREFIX && new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) === MAGIC
}

/** Parses a chunk frame; throws a TesseraError('bad-message') naming what is wrong. */
export function decodeUploadFrame(bytes: Uint8Array): UploadChunk {
  if (!isUploadFrame(bytes)) {
    throw new TesseraError('bad-message', `Expected a binary frame starting with TSU1 (upload chunk) but received ${bytes.byteLength} other bytes`)
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const idLength = view.getUint32(4, true)
  const offset = view.getFloat64(8, true)
  if (idLength === 0 || idLength > MAX_UPLOAD_ID_LENGTH || PREFIX + idLength > bytes.byteLength) {
    throw new TesseraError('bad-message', `Upload frame uploadId length ${idLength} is invalid for a frame of ${bytes.byteLength} bytes`)
  }
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new TesseraError('bad-message', expectedMessage('non-negative integer', 'upload offset', offset))
  }
  const uploadId = decoder.decode(bytes.subarray(PREFIX, PREFIX + idLength))
  return { uploadId, offset, bytes: bytes.subarray(PREFIX + idLength) }
}
