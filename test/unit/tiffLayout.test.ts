import { describe, expect, it } from 'vitest'
import { chooseTiffDecoder, isPaletteLayout, layoutInWords, sampleTypeOfTiff, vipsReadsJpegOf, type TiffDirectory, type TiffLayout } from '../../src/main/raster/tiffLayout'
import { pagesWarning } from '../../src/main/raster/decode/probe'

function directory(overrides: Partial<TiffDirectory> = {}): TiffDirectory & { file: string | null } {
  return {
    index: 0,
    width: 1000,
    height: 800,
    tiled: true,
    blockHeight: 256,
    compression: 8,
    subfileType: 0,
    planarSeparate: false,
    tileWidth: 256,
    samplesPerPixel: 3,
    bitsPerSample: [8, 8, 8],
    photometric: 2,
    extraSamples: 0,
    file: null,
    ...overrides
  }
}

function layout(overrides: Partial<TiffLayout> = {}, image: Partial<TiffDirectory> = {}): TiffLayout {
  return {
    images: [directory(image)],
    masks: [],
    bands: 3,
    sampleType: 'uint8',
    sampleFormat: 1,
    bitsPerSample: 8,
    planarSeparate: false,
    photometric: 2,
    extraSamples: [],
    hasColorMap: false,
    noData: null,
    gdalColorInterp: [],
    pages: 1,
    predictor: 1,
    ...overrides
  }
}

const rgba = { bands: 4, extraSamples: [2] }
const rgbaTiles = { compression: 7, samplesPerPixel: 4, bitsPerSample: [8, 8, 8, 8], extraSamples: 1 }

describe('chooseTiffDecoder', () => {
  it('gives 8-bit RGB pictures to libvips', () => {
    expect(chooseTiffDecoder(layout())).toEqual({ decoder: 'vips' })
    expect(chooseTiffDecoder(layout({}, { compression: 7 }))).toEqual({ decoder: 'vips' })
  })

  it('gives JPEG tiles of RGBA or grey + alpha pixels, which libvips fails on, to geotiff.js', () => {
    expect(chooseTiffDecoder(layout(rgba, rgbaTiles))).toEqual({ decoder: 'geotiff' })
    expect(chooseTiffDecoder(layout({ bands: 2, photometric: 1, extraSamples: [2] }, { compression: 7, samplesPerPixel: 2, bitsPerSample: [8, 8], photometric: 1, extraSamples: 1 }))).toEqual({ decoder: 'geotiff' })
  })

  it('keeps JPEG strips of RGBA pixels with libvips (libtiff reads strips)', () => {
    expect(chooseTiffDecoder(layout(rgba, { ...rgbaTiles, tiled: false, tileWidth: 0 }))).toEqual({ decoder: 'vips' })
  })

  it('gives a paletted raster to geotiff.js, which reads its class values', () => {
    expect(chooseTiffDecoder(layout({ bands: 1, photometric: 3, hasColorMap: true }, { samplesPerPixel: 1, bitsPerSample: [8], photometric: 3 }))).toEqual({ decoder: 'geotiff' })
  })

  it('reads Float64 RGB with geotiff.js', () => {
    expect(chooseTiffDecoder(layout({ sampleType: 'float64', sampleFormat: 3, bitsPerSample: 64 }, { bitsPerSample: [64, 64, 64] }))).toEqual({ decoder: 'geotiff' })
  })

  it.each([
    ['CCITT fax', layout({ bands: 1, photometric: 1, bitsPerSample: 1 }, { compression: 4, samplesPerPixel: 1, bitsPerSample: [1] }), /1-bit grey compressed with CCITT fax \(Group 4\), which is not supported/],
    ['an LZMA Float32 grid', layout({ bands: 1, photometric: 1, sampleType: 'float32', sampleFormat: 3, bitsPerSample: 32 }, { compression: 34925, samplesPerPixel: 1, bitsPerSample: [32] }), /32-bit floating-point grey compressed with LZMA/],
    ['a WebP value raster', layout({ noData: 0 }, { compression: 50001 }), /8-bit RGB compressed with WebP, which is supported only for 8-bit grey or RGB pictures/],
    ['64-bit horizontal differencing', layout({ sampleType: 'float64', sampleFormat: 3, bitsPerSample: 64, predictor: 2 }, { bitsPerSample: [64, 64, 64] }), /64-bit floating-point RGB with horizontal differencing \(PREDICTOR=2\)/],
    ['complex samples', layout({ bands: 1, photometric: 1, sampleType: null, sampleFormat: 6, bitsPerSample: 64 }, { samplesPerPixel: 1, bitsPerSample: [64] }), /64-bit complex floating-point grey, a sample type that is not supported; convert its real part/],
    ['4-bit grey', layout({ bands: 1, photometric: 1, sampleType: null, bitsPerSample: 4 }, { samplesPerPixel: 1, bitsPerSample: [4] }), /4-bit grey, a sample type that is not supported; convert it with gdal_translate -ot Byte/],
    ['12-bit signed integers', layout({ bands: 1, photometric: 1, sampleType: null, sampleFormat: 2, bitsPerSample: 12 }, { samplesPerPixel: 1, bitsPerSample: [12] }), /12-bit signed integer grey, a sample type that is not supported; convert it with gdal_translate -ot Int16/],
    ['bands of mixed sizes', layout({ bitsPerSample: 5 }, { bitsPerSample: [5, 6, 5] }), /3 bands of mixed sizes \(5, 6, 5 bits\)/],
    ['a mask in JBIG', layout({ masks: [directory({ compression: 34661, subfileType: 4 })] }), /its mask is compressed with JBIG/]
  ] as Array<[string, TiffLayout, RegExp]>)('refuses %s, naming the layout in words', (_what, given, words) => {
    const choice = chooseTiffDecoder(given)
    expect(choice).toHaveProperty('refused')
    expect((choice as { refused: string }).refused).toMatch(words)
  })
})

describe('sampleTypeOfTiff', () => {
  it('reads GDAL\'s NBITS samples as GDAL types them', () => {
    expect(sampleTypeOfTiff(1, 12)).toBe('uint16')
    expect(sampleTypeOfTiff(1, 24)).toBe('uint32')
    expect(sampleTypeOfTiff(3, 16)).toBe('float32')
    expect(sampleTypeOfTiff(1, 4)).toBeNull()
    expect(sampleTypeOfTiff(2, 64)).toBeNull()
  })
})

describe('vipsReadsJpegOf', () => {
  it('is false only for tiles of JPEG streams of other than one or three components', () => {
    expect(vipsReadsJpegOf({ compression: 7, tiled: true, planarSeparate: false, samplesPerPixel: 4 })).toBe(false)
    expect(vipsReadsJpegOf({ compression: 7, tiled: true, planarSeparate: false, samplesPerPixel: 2 })).toBe(false)
    expect(vipsReadsJpegOf({ compression: 7, tiled: true, planarSeparate: false, samplesPerPixel: 3 })).toBe(true)
    expect(vipsReadsJpegOf({ compression: 7, tiled: false, planarSeparate: false, samplesPerPixel: 4 })).toBe(true)
    expect(vipsReadsJpegOf({ compression: 8, tiled: true, planarSeparate: false, samplesPerPixel: 4 })).toBe(true)
  })
})

describe('isPaletteLayout', () => {
  it('is an 8-bit band with a colour map and nothing else', () => {
    expect(isPaletteLayout(layout({ bands: 1, photometric: 3, hasColorMap: true }))).toBe(true)
    expect(isPaletteLayout(layout({ bands: 2, photometric: 3, hasColorMap: true, extraSamples: [2] }))).toBe(false)
    expect(isPaletteLayout(layout({ bands: 1, photometric: 3, hasColorMap: false }))).toBe(false)
  })
})

describe('layoutInWords', () => {
  it('names sample size, type, colour and extra bands', () => {
    expect(layoutInWords(layout({ sampleFormat: 3, bitsPerSample: 64 }))).toBe('64-bit floating-point RGB')
    expect(layoutInWords(layout(rgba))).toBe('8-bit RGB with alpha')
    expect(layoutInWords(layout({ bands: 3, photometric: 1, sampleFormat: 2, bitsPerSample: 16 }))).toBe('16-bit signed integer grey (3 bands)')
    expect(layoutInWords(layout({ bands: 4, photometric: 5 }))).toBe('8-bit CMYK')
  })
})

describe('pagesWarning', () => {
  it('says how many pages there are and which one is shown, only for several', () => {
    expect(pagesWarning(1)).toEqual([])
    expect(pagesWarning(3)).toEqual([expect.stringMatching(/^The file holds 3 pages; page 1 is shown/)])
  })
})
