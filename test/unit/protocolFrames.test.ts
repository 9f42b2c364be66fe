import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { TesseraError, expectedMessage, toErrorInfo } from '../../src/shared/errors'
import { decodeUploadFrame, encodeUploadFrame, isUploadFrame } from '../../src/shared/uploadFrame'
import { encodeTileFrame, isTileFrame } from '../../src/shared/tileFrame'

describe('upload frames', () => {
  it('round-trips an upload id, an offset and the bytes', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.nat({ max: 2 ** 40 }), fc.uint8Array({ maxLength: 2000 }), (id, offset, bytes) => {
        const decoded = decodeUploadFrame(encodeUploadFrame(id, offset, bytes))
        expect(decoded.uploadId).toBe(id)
        expect(decoded.offset).toBe(offset)
        expect([...decoded.bytes]).toEqual([...bytes])
      })
    )
  })

  it('is told apart from a tile frame', () => {
    const upload = encodeUploadFrame('u1', 0, new Uint8Array(8))
    const tile = encodeTileFrame({ rasterId: 'r1', level: 0, col: 0, row: 0, width: 1, height: 1, channels: 4, sampleType: 'uint8' }, new Uint8Array(4))
    expect([isUploadFrame(upload), isTileFrame(upload)]).toEqual([true, false])
    expect([isUploadFrame(tile), isTileFrame(tile)]).toEqual([false, true])
  })

  it('refuses other bytes, an overrunning id and a bad offset with a bad-message error', () => {
    expect(() => decodeUploadFrame(new Uint8Array(20))).toThrow(TesseraError)
    const frame = encodeUploadFrame('u1', 0, new Uint8Array(0))
    new DataView(frame.buffer).setUint32(4, 1000, true)
    expect(() => decodeUploadFrame(frame)).toThrow(/uploadId length 1000/)
    const negative = encodeUploadFrame('u1', 0, new Uint8Array(0))
    new DataView(negative.buffer).setFloat64(8, -1, true)
    expect(() => decodeUploadFrame(negative)).toThrow('Expected non-negative integer for upload offset but received -1 of type number')
  })

  it('never throws anything but a TesseraError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const framed = new Uint8Array(bytes.length + 4)
        framed.set([0x54, 0x53, 0x55, 0x31])
        framed.set(bytes, 4)
        for (const candidate of [bytes, framed]) {
          try {
            decodeUploadFrame(candidate)
          } catch (error) {
            if (!(error instanceof TesseraError)) return false
          }
        }
        return true
      })
    )
  })
})

describe('errors at the boundary', () => {
  it('builds sharp-style messages', () => {
    expect(expectedMessage('positive integer', 'width', -3)).toBe('Expected positive integer for width but received -3 of type number')
    expect(expectedMessage('object', 'message', null)).toBe('Expected object for message but received null of type null')
    expect(expectedMessage('string', 'keep', [1])).toBe('Expected string for keep but received [1] of type array')
  })

  it('keeps the code of a TesseraError and falls back for other throws', () => {
    expect(toErrorInfo(new TesseraError('unknown-raster', 'no r9'))).toEqual({ code: 'unknown-raster', message: 'no r9' })
    expect(toErrorInfo(new Error('boom'), 'decode-failed')).toEqual({ code: 'decode-failed', message: 'boom' })
    expect(toErrorInfo('text')).toEqual({ code: 'internal', message: 'text' })
  })
})
