/**
 * Worker side: damage found by walking a file's structure, so that a file that still decodes opens
 * with a warning naming it (as eog and vipsdisp warn) instead of silently (a PNG chunk whose
 * checksum fails: libvips decodes through it without a word) or not at all (a JPEG cut short:
 * its first rows decode).
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs'
import { crc32 } from 'node:zlib'

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
/** Bytes read at once while walking the chunks (a big IDAT is checked in pieces). */
const READ_SIZE = 1 << 20

/** Warnings for a PNG whose chunks fail their CRC; [] for a sound PNG (or any other file). */
export function pngDamage(path: string): string[] {
  const fd = openSync(path, 'r')
  try {
    const size = statSync(path).size
    const head = Buffer.alloc(8)
    if (readSync(fd, head, 0, 8, 0) < 8 || !head.equals(PNG_SIGNATURE)) return []
    const failed: string[] = []
    const buffer = Buffer.alloc(READ_SIZE)
    let offset = 8
    while (offset + 12 <= size) {
      readSync(fd, head, 0, 8, offset)
      const length = head.readUInt32BE(0)
      const type = head.toString('latin1', 4, 8)
      if (offset + 12 + length > size) break // a truncated file: libvips says so itself
      // The CRC covers the type and the data.
      let crc = crc32(head.subarray(4, 8))
      for (let done = 0; done < length; ) {
        const n = readSync(fd, buffer, 0, Math.min(READ_SIZE, length - done), offset + 8 + done)
        crc = crc32(buffer.subarray(0, n), crc)
        done += n
      }
      readSync(fd, head, 0, 4, offset + 8 + length)
      if (head.readUInt32BE(0) !== crc >>> 0 && !failed.includes(type)) failed.push(type)
      offset += 12 + length
      if (type === 'IEND') break
    }
    return failed.length === 0 ? [] : [`the checksum of its ${failed.join(', ')} chunk${failed.length > 1 ? 's' : ''} fails: the file is damaged and may show wrong pixels`]
  } finally {
    closeSync(fd)
  }
}

/** Bytes at the end of a JPEG searched for its end-of-image marker (some writers pad after it). */
const JPEG_TAIL = 1024

/** A warning for a JPEG whose end-of-image marker (FF D9) is missing: cut short, its last rows lost. */
export function jpegDamage(path: string): string[] {
  const size = statSync(path).size
  const length = Math.min(size, JPEG_TAIL)
  const tail = Buffer.alloc(length)
  const fd = openSync(path, 'r')
  try {
    readSync(fd, tail, 0, length, size - length)
  } finally {
    closeSync(fd)
  }
  for (let i = length - 2; i >= 0; i--) if (tail[i] === 0xff && tail[i + 1] === 0xd9) return []
  return ['it is truncated (its end-of-image marker is missing): the rows after the cut are shown grey']
}
