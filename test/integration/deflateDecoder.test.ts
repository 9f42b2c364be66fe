/**
 * The DEFLATE decoder of the decode workers (`decode/deflate.ts`, Node's zlib): GDAL-written DEFLATE
 * TIFFs (no predictor, horizontal differencing, floating-point predictor; chunky and planar) decode
 * to exactly the samples geotiff.js's own decoder gives and GDAL reads; a stream cut short gives the
 * bytes it holds, and bytes that are not a zlib stream fail in words.
 */
import { readFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'
import { fromArrayBuffer } from 'geotiff'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inflateBlock, registerDeflateDecoder } from '../../src/main/raster/decode/deflate'
import * as gdal from '../helpers/gdal'
import { tempDir } from '../helpers/images'

const tmp = tempDir('tessera-deflate-')

beforeAll(() => {
  gdal.requireGdal()
})

afterAll(() => tmp.cleanup())

/** Every band of the file's first image, band after band, as geotiff.js decodes it with the decoders registered now. */
async function geotiffSamples(path: string): Promise<number[]> {
  const bytes = readFileSync(path)
  const tiff = await fromArrayBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
  const image = await tiff.getImage(0)
  const bands = (await image.readRasters()) as unknown as ArrayLike<number>[]
  return bands.flatMap((band) => Array.from(band))
}

const cases: Array<{ label: string; grid: () => gdal.Grid; args: string[] }> = [
  { label: 'UInt16, horizontal differencing (PREDICTOR=2), 256² tiles', grid: () => gdal.valueGrid(700, 500, 1, 'uint16', 3), args: ['-co', 'TILED=YES', '-co', 'PREDICTOR=2'] },
  { label: 'Float32, floating-point predictor (PREDICTOR=3), 512² tiles', grid: () => gdal.floatWithHoles(900, 600), args: ['-co', 'TILED=YES', '-co', 'BLOCKXSIZE=512', '-co', 'BLOCKYSIZE=512', '-co', 'PREDICTOR=3'] },
  { label: '8-bit RGB, no predictor, strips', grid: () => gdal.valueGrid(640, 480, 3, 'uint8', 5), args: [] },
  { label: '8-bit RGB, planar (INTERLEAVE=BAND), PREDICTOR=2', grid: () => gdal.valueGrid(300, 200, 3, 'uint8', 6), args: ['-co', 'TILED=YES', '-co', 'INTERLEAVE=BAND', '-co', 'PREDICTOR=2'] },
  { label: 'Float64, ZLEVEL=9, PREDICTOR=3', grid: () => gdal.valueGrid(300, 260, 1, 'float64', 8), args: ['-co', 'TILED=YES', '-co', 'ZLEVEL=9', '-co', 'PREDICTOR=3'] }
]

describe("Tessera's DEFLATE decoder", () => {
  it("decodes GDAL's DEFLATE TIFFs to exactly geotiff.js's own decoder's samples and GDAL's", async () => {
    const files: Array<{ label: string; path: string; before: number[] }> = []
    // geotiff.js's own decoder first (registering ours replaces it in this thread).
    for (const [i, c] of cases.entries()) {
      const path = await gdal.gdalRaster(tmp.dir, `deflate-${i}`, c.grid(), ['-co', 'COMPRESS=DEFLATE', ...c.args])
      files.push({ label: c.label, path, before: await geotiffSamples(path) })
    }
    registerDeflateDecoder()
    for (const { label, path, before } of files) {
      const after = await geotiffSamples(path)
      const ref = await gdal.gdalRead(path, tmp.dir)
      expect(after.length, label).toBe(ref.data.length)
      expect(after, `${label}: as geotiff.js's own decoder`).toEqual(before)
      // NaN compares equal to NaN in toEqual; every value is GDAL's.
      expect(after, `${label}: as GDAL reads it`).toEqual(Array.from(ref.data))
    }
  })

  it('inflates a block as zlib wrote it; a block cut short gives the bytes it holds', () => {
    const plain = new Uint8Array(200_000).map((_, i) => (i * 7) % 251)
    const stream = deflateSync(plain)
    expect(Buffer.from(inflateBlock(stream, plain.length)).equals(Buffer.from(plain))).toBe(true)
    expect(Buffer.from(inflateBlock(stream)).equals(Buffer.from(plain))).toBe(true)
    const cut = inflateBlock(stream.subarray(0, Math.floor(stream.length / 2)), plain.length)
    expect(cut.length).toBeGreaterThan(0)
    expect(cut.length).toBeLessThan(plain.length)
    expect(Buffer.from(cut).equals(Buffer.from(plain.subarray(0, cut.length)))).toBe(true)
  })

  it('refuses bytes that are not a zlib stream, saying so', () => {
    expect(() => inflateBlock(new TextEncoder().encode('this is not deflate data'))).toThrow(/^DEFLATE: the block is not a zlib stream \(.+\)$/)
  })
})
