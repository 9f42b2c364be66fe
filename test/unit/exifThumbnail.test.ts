import fc from 'fast-check'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { exifThumbnail, thumbnailFits } from '../../src/renderer/exifThumbnail'
import { IMAGE_HEAD_BYTES, storedImageSize } from '../../src/renderer/previewSize'
import { exifSegment, plainJpeg, withSegment } from '../helpers/exifJpeg'

describe('exifThumbnail', () => {
  it.each(['II', 'MM'] as const)('finds the JPEG thumbnail of an EXIF block in %s byte order, a decodable picture', async (order) => {
    const thumbnail = await plainJpeg(160, 120, [200, 40, 40])
    const photo = withSegment(await plainJpeg(1600, 1200, [200, 40, 40]), exifSegment(thumbnail, order))
    const head = new Uint8Array(photo.subarray(0, IMAGE_HEAD_BYTES))
    const range = exifThumbnail(head)
    expect(range).not.toBeNull()
    const bytes = head.subarray(range!.offset, range!.offset + range!.length)
    expect(Buffer.from(bytes).equals(thumbnail)).toBe(true)
    expect(await sharp(bytes).metadata()).toMatchObject({ width: 160, height: 120, format: 'jpeg' })
    // The photo's own size is still read past the EXIF block.
    expect(storedImageSize(head)).toEqual({ width: 1600, height: 1200 })
  })

  it('finds it behind a JFIF segment', async () => {
    const thumbnail = await plainJpeg(160, 120, [0, 0, 0])
    const jfif = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00])
    const photo = withSegment(withSegment(await plainJpeg(320, 240, [0, 0, 0]), exifSegment(thumbnail)), jfif)
    expect(exifThumbnail(new Uint8Array(photo))).toMatchObject({ length: thumbnail.length })
  })

  it('says null without a thumbnail, for another format, or when the head is cut or damaged', async () => {
    const plain = await plainJpeg(320, 240, [10, 20, 30])
    expect(exifThumbnail(new Uint8Array(plain))).toBeNull() // sharp writes no EXIF thumbnail
    expect(exifThumbnail(new Uint8Array(await sharp(plain).png().toBuffer()))).toBeNull()
    const thumbnail = await plainJpeg(160, 120, [10, 20, 30])
    const photo = withSegment(plain, exifSegment(thumbnail))
    const segmentEnd = 2 + exifSegment(thumbnail).length
    // Cut inside the thumbnail: its bytes are not all there.
    expect(exifThumbnail(new Uint8Array(photo.subarray(0, segmentEnd - 10)))).toBeNull()
    // A thumbnail offset pointing past the block.
    const far = Buffer.from(photo)
    far.writeUInt32LE(1_000_000, 2 + 4 + 6 + 24)
    expect(exifThumbnail(new Uint8Array(far))).toBeNull()
    // Not a JPEG where it points.
    const notJpeg = Buffer.from(photo)
    notJpeg[2 + 4 + 6 + 44] = 0
    expect(exifThumbnail(new Uint8Array(notJpeg))).toBeNull()
    // A byte order that is none.
    const badOrder = Buffer.from(photo)
    badOrder.write('XX', 2 + 4 + 6, 'ascii')
    expect(exifThumbnail(new Uint8Array(badOrder))).toBeNull()
    expect(exifThumbnail(new Uint8Array([0xff, 0xd8]))).toBeNull()
  })

  it('never throws, and names only ranges inside the head that start a JPEG (any bytes after an EXIF start)', () => {
    const exifStart = [0xff, 0xd8, 0xff, 0xe1, 0x00, 0x40, 0x45, 0x78, 0x69, 0x66, 0, 0]
    fc.assert(
      fc.property(fc.constantFrom('II', 'MM'), fc.uint8Array({ minLength: 0, maxLength: 300 }), (order, tail) => {
        const bytes = new Uint8Array([...exifStart, order.charCodeAt(0), order.charCodeAt(1), ...tail])
        const range = exifThumbnail(bytes)
        if (range) {
          expect(range.offset + range.length).toBeLessThanOrEqual(bytes.length)
          expect([bytes[range.offset], bytes[range.offset + 1]]).toEqual([0xff, 0xd8])
        }
      }),
      { numRuns: 2_000 }
    )
  })
})

describe('thumbnailFits', () => {
  it('takes a thumbnail of the photo\'s shape, and refuses a letterboxed one', () => {
    expect(thumbnailFits({ width: 160, height: 120 }, { width: 4000, height: 3000 })).toBe(true)
    expect(thumbnailFits({ width: 160, height: 107 }, { width: 6000, height: 4000 })).toBe(true) // rounded: 0.3 %
    expect(thumbnailFits({ width: 160, height: 120 }, { width: 6000, height: 4000 })).toBe(false) // 4:3 box around 3:2
    expect(thumbnailFits({ width: 120, height: 160 }, { width: 4000, height: 3000 })).toBe(false) // turned
    expect(thumbnailFits({ width: 0, height: 120 }, { width: 4000, height: 3000 })).toBe(false)
  })
})
