/** Binary tile frames (src/shared/tileFrame.ts): roundtrip, alignment, clear errors for malformed frames. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { TileHeader, TileMessage } from '../../src/shared/protocol'
import type { SampleType } from '../../src/shared/raster'
import { BYTES_PER_SAMPLE, decodeTileFrame, encodeTileFrame, isTileFrame } from '../../src/shared/tileFrame'

type Samples = TileMessage['data']

const CONSTRUCTORS: Record<SampleType, { from(values: number[]): Samples }> = {
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  uint32: Uint32Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array
}

/** Extreme and ordinary values of each type (typed-array conversion wraps the out-of-range ones). */
const SAMPLE_VALUES: Record<SampleType, number[]> = {
  uint8: [0, 1, 127, 255],
  int8: [-128, -1, 0, 127],
  uint16: [0, 1, 32768, 65535],
  int16: [-32768, -1, 0, 32767],
  uint32: [0, 1, 2 ** 31, 2 ** 32 - 1],
  int32: [-(2 ** 31), -1, 0, 2 ** 31 - 1],
  float32: [-3.5, 0, 1.25, Number.POSITIVE_INFINITY],
  float64: [-1e300, Number.MIN_VALUE, Math.PI, Number.NaN]
}

const SAMPLE_TYPES = Object.keys(CONSTRUCTORS) as SampleType[]

function header(patch: Partial<TileHeader> = {}): TileHeader {
  return { rasterId: 'r1', level: 0, col: 1, row: 2, width: 2, height: 2, channels: 1, sampleType: 'uint8', ...patch }
}

/** A frame written by hand: magic, header length, header bytes, padding to 8, pixel bytes. */
function rawFrame(headerText: string, pixelBytes: number, options: { magic?: number; headerLength?: number } = {}): Uint8Array {
  const json = new TextEncoder().encode(headerText)
  const dataOffset = (8 + json.byteLength + 7) & ~7
  const frame = new Uint8Array(dataOffset + pixelBytes)
  const view = new DataView(frame.buffer)
  view.setUint32(0, options.magic ?? 0x31525354, true)
  view.setUint32(4, options.headerLength ?? json.byteLength, true)
  frame.set(json, 8)
  return frame
}

describe('encodeTileFrame and decodeTileFrame', () => {
  it.each(SAMPLE_TYPES)('roundtrips a single-band %s tile with its extreme values', (sampleType) => {
    const pixels = CONSTRUCTORS[sampleType].from(SAMPLE_VALUES[sampleType])
    const h = header({ sampleType })
    const { header: decodedHeader, data } = decodeTileFrame(encodeTileFrame(h, pixels))
    expect(decodedHeader).toEqual(h)
    expect(data).toBeInstanceOf(CONSTRUCTORS[sampleType])
    expect(Array.from(data)).toEqual(Array.from(pixels))
  })

  it('roundtrips an RGBA8 tile with an edge size', () => {
    const h = header({ width: 3, height: 5, channels: 4 })
    const pixels = Uint8Array.from({ length: 3 * 5 * 4 }, (_, i) => (i * 37) & 255)
    const { header: decoded, data } = decodeTileFrame(encodeTileFrame(h, pixels))
    expect(decoded).toEqual(h)
    expect(data).toEqual(pixels)
  })

  it('roundtrips an empty tile', () => {
    const h = header({ width: 0, height: 0 })
    expect(decodeTileFrame(encodeTileFrame(h, new Uint8Array(0))).data).toHaveLength(0)
  })

  it('encodes only the bytes of a pixel view, not its whole buffer', () => {
    const backing = new Uint16Array([9, 9, 1, 2, 3, 4, 9])
    const view = backing.subarray(2, 6)
    const { data } = decodeTileFrame(encodeTileFrame(header({ sampleType: 'uint16' }), view))
    expect(Array.from(data)).toEqual([1, 2, 3, 4])
  })

  it('starts the pixels at a multiple of 8 bytes, whatever the header length', () => {
    for (let length = 1; length <= 16; length++) {
      const frame = encodeTileFrame(header({ rasterId: 'x'.repeat(length), sampleType: 'float64', width: 1, height: 1 }), new Float64Array([2.5]))
      expect(frame.byteLength % 8).toBe(0)
      const { data } = decodeTileFrame(frame)
      expect(data.byteOffset % 8).toBe(0)
      expect(data[0]).toBe(2.5)
    }
  })

  it('returns a view on the received buffer, without copying the pixels', () => {
    const frame = encodeTileFrame(header(), new Uint8Array([1, 2, 3, 4]))
    const { data } = decodeTileFrame(frame)
    expect(data.buffer).toBe(frame.buffer)
  })

  it('decodes a frame given as an ArrayBuffer', () => {
    const frame = encodeTileFrame(header({ sampleType: 'int16' }), new Int16Array([-1, 2, -3, 4]))
    expect(Array.from(decodeTileFrame(frame.buffer as ArrayBuffer).data)).toEqual([-1, 2, -3, 4])
  })

  it('decodes a frame lying at an unaligned offset inside a larger buffer', () => {
    const frame = encodeTileFrame(header({ sampleType: 'float32' }), new Float32Array([0.5, -1, 2, 8]))
    const backing = new Uint8Array(frame.byteLength + 3)
    backing.set(frame, 3)
    const { header: h, data } = decodeTileFrame(backing.subarray(3))
    expect(h.sampleType).toBe('float32')
    expect(Array.from(data)).toEqual([0.5, -1, 2, 8])
  })

  it('roundtrips any header and samples of any type (property)', () => {
    const tile = fc
      .record({
        rasterId: fc.string({ maxLength: 40 }),
        level: fc.nat(30),
        col: fc.nat(100_000),
        row: fc.nat(100_000),
        width: fc.integer({ min: 0, max: 9 }),
        height: fc.integer({ min: 0, max: 9 }),
        channels: fc.constantFrom(1 as const, 4 as const),
        sampleType: fc.constantFrom(...SAMPLE_TYPES)
      })
      .chain((h) => {
        const count = h.width * h.height * h.channels
        const bytes = fc.uint8Array({ minLength: count * BYTES_PER_SAMPLE[h.sampleType], maxLength: count * BYTES_PER_SAMPLE[h.sampleType] })
        return fc.tuple(fc.constant(h), bytes)
      })
    fc.assert(
      fc.property(tile, ([h, bytes]) => {
        const frame = encodeTileFrame(h, bytes)
        expect(isTileFrame(frame)).toBe(true)
        const decoded = decodeTileFrame(frame)
        expect(decoded.header).toEqual(h)
        expect(decoded.data.length).toBe(h.width * h.height * h.channels)
        // Compare bytes, so that NaN payloads and -0 count as equal only when bit-identical.
        expect(new Uint8Array(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength)).toEqual(bytes)
      })
    )
  })
})

describe('isTileFrame', () => {
  it('recognises a tile frame by its magic', () => {
    expect(isTileFrame(encodeTileFrame(header(), new Uint8Array(4)))).toBe(true)
  })

  it('rejects other bytes and frames shorter than the prefix', () => {
    expect(isTileFrame(new Uint8Array(16))).toBe(false)
    expect(isTileFrame(new TextEncoder().encode('TSR1'))).toBe(false)
    expect(isTileFrame(new Uint8Array(0))).toBe(false)
  })
})

describe('decodeTileFrame on malformed frames', () => {
  const good = JSON.stringify(header())

  it('names the magic when the bytes are not a tile frame', () => {
    expect(() => decodeTileFrame(rawFrame(good, 4, { magic: 0x12345678 }))).toThrow('Expected a tile frame (magic TSR1) but received other bytes')
    expect(() => decodeTileFrame(new Uint8Array(3))).toThrow('magic TSR1')
  })

  it('names the header length when it overruns the frame', () => {
    const frame = rawFrame(good, 4, { headerLength: 10_000 })
    expect(() => decodeTileFrame(frame)).toThrow(`Tile frame header length 10000 overruns the frame of ${frame.byteLength} bytes`)
  })

  it('says so when the header is not JSON', () => {
    expect(() => decodeTileFrame(rawFrame('{not json', 4))).toThrow(/^Tile frame header is not valid JSON: /)
  })

  it('says so when the header is not an object', () => {
    expect(() => decodeTileFrame(rawFrame('null', 0))).toThrow('Tile frame header is not an object but null')
  })

  it('names an unknown sample type', () => {
    expect(() => decodeTileFrame(rawFrame(JSON.stringify(header({ sampleType: 'complex64' as SampleType })), 4))).toThrow(
      'Unknown sample type complex64 in tile frame'
    )
    expect(() => decodeTileFrame(rawFrame(JSON.stringify({ ...header(), sampleType: 'toString' }), 4))).toThrow('Unknown sample type toString')
  })

  it.each([
    ['width', -1],
    ['height', 1.5],
    ['channels', '4'],
    ['level', null],
    ['col', undefined]
  ])('names a %s of %s that is not a non-negative integer', (name, value) => {
    const text = JSON.stringify({ ...header(), [name]: value })
    expect(() => decodeTileFrame(rawFrame(text, 4))).toThrow(`Expected non-negative integer for tile frame ${name} but received`)
  })

  it('names a raster id that is not a string', () => {
    expect(() => decodeTileFrame(rawFrame(JSON.stringify({ ...header(), rasterId: 7 }), 4))).toThrow(
      'Expected string for tile frame rasterId but received 7 of type number'
    )
  })

  it.each([3, 5, 0])('names the tile and both byte counts when it carries %s pixel bytes instead of 4', (bytes) => {
    expect(() => decodeTileFrame(rawFrame(good, bytes))).toThrow(`Tile frame r1/0/1/2 carries ${bytes} pixel bytes, expected 4`)
  })

  it('counts bytes per sample: a float64 2×2 tile needs 32 bytes', () => {
    expect(() => decodeTileFrame(rawFrame(JSON.stringify(header({ sampleType: 'float64' })), 16))).toThrow('carries 16 pixel bytes, expected 32')
  })
})
