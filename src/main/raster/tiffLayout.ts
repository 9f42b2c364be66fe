/**
 * What a TIFF holds and how Tessera decodes it, as plain data (no sharp, no geotiff: both processes
 * use it). The worker reads a `TiffLayout` from the file's IFDs (`decode/tiffStructure.ts`); the
 * choice of decoder and the refusals are pure functions of it, decided here once.
 */
import type { ColorInterpretation, SampleType } from '../../shared/raster'

/** One image file directory: a full-resolution image, an overview or a mask. */
export interface TiffDirectory {
  /** Index in the file's main IFD chain. */
  index: number
  width: number
  height: number
  tiled: boolean
  /** Rows per strip for a striped image; the tile height for a tiled one. */
  blockHeight: number
  compression: number
  /** TIFF NewSubfileType: bit 0 reduced resolution (an overview), bit 2 transparency mask. */
  subfileType: number
  /** Bands stored in separate planes (PLANARCONFIG=SEPARATE; GDAL's `.ovr` of RGB files are). */
  planarSeparate: boolean
  /**
   * This IFD's own tags, which an overview may set apart from the first image's (the layout's
   * fields are the first's): what decides whether its JPEG tiles are sent as stored (`jpegPassthrough.ts`).
   */
  tileWidth: number
  samplesPerPixel: number
  bitsPerSample: number[]
  photometric: number
  /** Count of ExtraSamples (alpha or unspecified bands). */
  extraSamples: number
}

/** The layout of a TIFF (and of its external `.ovr`), in GDAL's terms. */
export interface TiffLayout {
  /** Full resolution first, then overviews (internal, then external), each a reduction of the first. */
  images: (TiffDirectory & { file: string | null })[]
  /** Masks (NewSubfileType bit 2) of the full image and of the overviews, matched to them by size. */
  masks: (TiffDirectory & { file: string | null })[]
  bands: number
  sampleType: SampleType | null
  /** TIFF SampleFormat and BitsPerSample of the first band, for refusals that name them. */
  sampleFormat: number
  bitsPerSample: number
  planarSeparate: boolean
  /** TIFF PhotometricInterpretation. */
  photometric: number
  /** TIFF ExtraSamples (0 unspecified, 1 associated alpha, 2 unassociated alpha), one per extra band. */
  extraSamples: number[]
  hasColorMap: boolean
  noData: number | null
  /**
   * The colour interpretation GDAL recorded per band in its GDAL_METADATA tag (lower case:
   * 'undefined', 'alpha', 'red'…), which overrides what Photometric and ExtraSamples say; empty when absent.
   */
  gdalColorInterp: string[]
  /** The band descriptions GDAL recorded in its GDAL_METADATA tag ('' for a band without one); empty or absent when none. */
  gdalDescriptions?: string[]
  /** Pages of the file (IFDs of its main chain that are neither overviews nor masks: GDAL's subdatasets); the first is shown. */
  pages?: number
  /** TIFF Predictor of the first image (1 none, 2 horizontal differencing, 3 floating point). */
  predictor?: number
}

/** GDAL's names of TIFF compressions. */
const COMPRESSION_NAMES: Record<number, string> = {
  1: 'NONE',
  2: 'CCITTRLE',
  3: 'CCITTFAX3',
  4: 'CCITTFAX4',
  5: 'LZW',
  6: 'OJPEG',
  7: 'JPEG',
  8: 'DEFLATE',
  32773: 'PACKBITS',
  32946: 'DEFLATE',
  34661: 'JBIG',
  34712: 'JPEG2000',
  34887: 'LERC',
  34925: 'LZMA',
  50000: 'ZSTD',
  50001: 'WEBP',
  50002: 'JXL',
  52546: 'JXL'
}

/** The name GDAL gives a TIFF compression code. */
export function compressionName(code: number): string {
  return COMPRESSION_NAMES[code] ?? `code ${code}`
}

/** Codecs libvips (sharp's libtiff) decodes. ZSTD, LZMA and LERC are not among them: its libtiff reads their tiles as zeros. */
const VIPS_CODECS = new Set([1, 5, 7, 8, 32773, 32946, 50001])
/** Codecs geotiff.js decodes in the worker: its JPEG decoder is JavaScript (its WebP one needs a browser: not that). */
const GEOTIFF_CODECS = new Set([1, 5, 7, 8, 32773, 32946, 34887, 50000])
const JPEG = 7

/** Which decoder reads the pixels of a TIFF. */
export type TiffDecoder = 'vips' | 'geotiff'

/** Photometric interpretations (TIFF 6.0). */
export const PHOTOMETRIC = { minIsWhite: 0, minIsBlack: 1, rgb: 2, palette: 3, mask: 4, separated: 5, ycbcr: 6 } as const

/** Index of the band the file declares as alpha (GDAL's colour interpretation, else ExtraSamples 1 or 2), or -1. */
export function alphaBandOf(layout: TiffLayout): number {
  return colorInterpretations(layout).indexOf('alpha')
}

/**
 * True when the file is an 8-bit picture that is shown as it is (grey, RGB, palette, YCbCr), with
 * at most a declared alpha band, last: what libvips turns into RGBA exactly as GDAL reads it.
 */
export function isPictureLayout(layout: TiffLayout): boolean {
  if (layout.sampleType !== 'uint8' || layout.noData !== null) return false
  const interpretations = colorInterpretations(layout)
  const alphaBand = interpretations.indexOf('alpha')
  if (alphaBand >= 0 && alphaBand !== layout.bands - 1) return false
  const colours = interpretations.filter((c) => c !== 'alpha').join(',')
  if (colours === 'palette') return layout.hasColorMap
  return colours === 'gray' || colours === 'red,green,blue'
}

/**
 * True when the file is an 8-bit paletted raster without alpha band (a land cover, a classified
 * scene): its tiles carry the class index, drawn through the colour table, as QGIS does.
 */
export function isPaletteLayout(layout: TiffLayout): boolean {
  return layout.sampleType === 'uint8' && layout.bitsPerSample === 8 && layout.hasColorMap && colorInterpretations(layout).join(',') === 'palette'
}

/**
 * False for a JPEG image libvips cannot decode: libvips decodes a TIFF's JPEG tiles itself and
 * takes only one- or three-component streams, so the tiles of grey + alpha or RGBA pixels
 * compressed together fail ("tiff2vips: decompress error"; GDAL reads them). Strips go through
 * libtiff, which reads them.
 */
export function vipsReadsJpegOf(image: Pick<TiffDirectory, 'compression' | 'tiled' | 'planarSeparate' | 'samplesPerPixel'>): boolean {
  return image.compression !== JPEG || !image.tiled || image.planarSeparate || image.samplesPerPixel === 1 || image.samplesPerPixel === 3
}

/**
 * The decoder of a TIFF, or the reason it cannot be read correctly (a sentence fragment that
 * follows "Cannot open <file>: ", naming the layout in words). libvips reads 8-bit pictures in
 * the codecs it has; geotiff.js everything else it can decode (every sample type, band-interleaved,
 * paletted rasters as their class index, JPEG tiles libvips fails on, ZSTD, LERC); a layout
 * neither decodes is refused by name rather than shown as zeros or failing tile by tile.
 */
export function chooseTiffDecoder(layout: TiffLayout): { decoder: TiffDecoder } | { refused: string } {
  const codecs = new Set(layout.images.map((image) => image.compression))
  const masks = new Set(layout.masks.map((mask) => mask.compression))
  const convert = 'convert it with gdal_translate -co COMPRESS=DEFLATE'
  for (const code of masks) {
    if (!GEOTIFF_CODECS.has(code)) return { refused: `its mask is compressed with ${codecInWords(code)}, which is not supported; ${convert}` }
  }
  const sizes = new Set(layout.images[0]?.bitsPerSample ?? [])
  if (sizes.size > 1) {
    return { refused: `its pixels are ${layout.bands} bands of mixed sizes (${layout.images[0]!.bitsPerSample.join(', ')} bits), which are not supported; convert it with gdal_translate -ot Byte` }
  }
  if (layout.sampleType === null) {
    return { refused: `its pixels are ${layoutInWords(layout)}, a sample type that is not supported; ${sampleTypeAdvice(layout)}` }
  }
  const vipsCan = [...codecs].every((code) => VIPS_CODECS.has(code)) && layout.images.every(vipsReadsJpegOf)
  // libvips reads no tiled separate planes: one such image (an .ovr) sends the whole file to geotiff.js.
  const separate = layout.planarSeparate || layout.images.some((image) => image.planarSeparate)
  if (vipsCan && isPictureLayout(layout) && !separate && !isPaletteLayout(layout)) return { decoder: 'vips' }
  const unsupported = [...codecs].find((code) => !GEOTIFF_CODECS.has(code))
  if (unsupported !== undefined) {
    const what = vipsCan ? ', which is supported only for 8-bit grey or RGB pictures without no-data' : ', which is not supported'
    return { refused: `its pixels are ${layoutInWords(layout)} compressed with ${codecInWords(unsupported)}${what}; ${convert}` }
  }
  if (layout.bitsPerSample < 8) {
    return { refused: `its pixels are ${layoutInWords(layout)}, a sample size that is not supported; ${sampleTypeAdvice(layout)}` }
  }
  if (layout.predictor === 2 && layout.bitsPerSample === 64) {
    // geotiff.js undoes horizontal differencing of 8-, 16- and 32-bit samples only.
    return { refused: `its pixels are ${layoutInWords(layout)} with horizontal differencing (PREDICTOR=2), which is not supported; convert it with gdal_translate -co COMPRESS=DEFLATE -co PREDICTOR=3` }
  }
  return { decoder: 'geotiff' }
}

/** What to do with a sample type Tessera does not read. */
function sampleTypeAdvice(layout: TiffLayout): string {
  if (layout.sampleFormat === 5 || layout.sampleFormat === 6) return 'convert its real part with gdal_translate -ot Float32'
  const signed = layout.sampleFormat === 2
  const type = layout.sampleFormat === 3 || layout.bitsPerSample > 32 ? 'Float64' : layout.bitsPerSample > 16 ? (signed ? 'Int32' : 'UInt32') : layout.bitsPerSample > 8 || signed ? (signed ? 'Int16' : 'UInt16') : 'Byte'
  return `convert it with gdal_translate -ot ${type}`
}

/** Names of TIFF compressions for people. */
const CODEC_WORDS: Record<number, string> = {
  2: 'CCITT fax (modified Huffman RLE)',
  3: 'CCITT fax (Group 3)',
  4: 'CCITT fax (Group 4)',
  6: 'old-style JPEG',
  7: 'JPEG',
  34661: 'JBIG',
  34712: 'JPEG 2000',
  34887: 'LERC',
  34925: 'LZMA',
  50000: 'ZSTD',
  50001: 'WebP',
  50002: 'JPEG XL',
  52546: 'JPEG XL'
}

/** A TIFF compression for people: "CCITT fax (Group 4)", "LZMA", "compression code 65000". */
export function codecInWords(code: number): string {
  return CODEC_WORDS[code] ?? (COMPRESSION_NAMES[code] ? COMPRESSION_NAMES[code]! : `compression code ${code}`)
}

const SAMPLE_FORMAT_WORDS: Record<number, string> = { 1: '', 2: 'signed integer ', 3: 'floating-point ', 4: 'untyped ', 5: 'complex integer ', 6: 'complex floating-point ' }

const PHOTOMETRIC_WORDS: Record<number, string> = {
  0: 'grey',
  1: 'grey',
  2: 'RGB',
  3: 'palette',
  4: 'transparency mask',
  5: 'CMYK',
  6: 'YCbCr',
  8: 'CIE L*a*b*',
  9: 'ICC L*a*b*',
  10: 'ITU L*a*b*',
  32844: 'LogL',
  32845: 'LogLuv',
  32803: 'colour filter array',
  34892: 'linear raw'
}

/**
 * A TIFF's pixels in words, for refusals: "64-bit floating-point RGB", "1-bit grey", "16-bit
 * signed integer grey (3 bands)", "8-bit RGB with alpha", "32-bit complex floating-point grey".
 */
export function layoutInWords(layout: Pick<TiffLayout, 'bitsPerSample' | 'sampleFormat' | 'photometric' | 'bands' | 'extraSamples'>): string {
  const colour = PHOTOMETRIC_WORDS[layout.photometric] ?? `photometric ${layout.photometric}`
  const colourBands = layout.photometric === PHOTOMETRIC.rgb || layout.photometric === PHOTOMETRIC.ycbcr ? 3 : layout.photometric === PHOTOMETRIC.separated ? 4 : 1
  const alpha = layout.extraSamples.some((kind) => kind === 1 || kind === 2)
  const rest = layout.bands - colourBands
  const extra = rest <= 0 ? '' : rest === 1 && alpha ? ' with alpha' : ` (${layout.bands} bands)`
  return `${layout.bitsPerSample}-bit ${SAMPLE_FORMAT_WORDS[layout.sampleFormat] ?? `SampleFormat ${layout.sampleFormat} `}${colour}${extra}`
}

/** GDAL's colour interpretation of each band: what GDAL_METADATA says, else what Photometric and ExtraSamples say. */
export function colorInterpretations(layout: TiffLayout): ColorInterpretation[] {
  const named: readonly string[] = ['gray', 'red', 'green', 'blue', 'alpha', 'palette', 'undefined']
  const fromTags = tagInterpretations(layout)
  return fromTags.map((tag, band) => {
    const gdal = layout.gdalColorInterp[band]
    return gdal ? ((named.includes(gdal) ? gdal : 'undefined') as ColorInterpretation) : tag
  })
}

function tagInterpretations(layout: TiffLayout): ColorInterpretation[] {
  const first = layout.bands - layout.extraSamples.length
  const extra = layout.extraSamples.findIndex((kind) => kind === 1 || kind === 2)
  const alpha = extra < 0 ? -1 : first + extra
  return Array.from({ length: layout.bands }, (_, band): ColorInterpretation => {
    if (band === alpha) return 'alpha'
    switch (layout.photometric) {
      case PHOTOMETRIC.minIsBlack:
      case PHOTOMETRIC.minIsWhite:
        return band === 0 ? 'gray' : 'undefined'
      case PHOTOMETRIC.palette:
        return band === 0 ? 'palette' : 'undefined'
      case PHOTOMETRIC.rgb:
      case PHOTOMETRIC.ycbcr:
        return (['red', 'green', 'blue'] as const)[band] ?? 'undefined'
      default:
        return 'undefined'
    }
  })
}

/** The sample type of TIFF SampleFormat (1 unsigned, 2 signed, 3 float) and BitsPerSample, or null. */
export function sampleTypeOfTiff(sampleFormat: number, bitsPerSample: number): SampleType | null {
  const key = `${sampleFormat}:${bitsPerSample}`
  const types: Record<string, SampleType> = {
    '1:8': 'uint8',
    '2:8': 'int8',
    '1:16': 'uint16',
    '2:16': 'int16',
    '1:32': 'uint32',
    '2:32': 'int32',
    '3:32': 'float32',
    '3:64': 'float64'
  }
  if (bitsPerSample === 1 && sampleFormat === 1) return 'uint8' // bilevel: read as 0/1 bytes… shown as a picture by libvips
  // GDAL's NBITS: 9- to 15-bit and 17- to 31-bit unsigned samples read as UInt16 / UInt32, 16-bit
  // floats (half precision) as Float32; geotiff.js unpacks them to those types.
  if (sampleFormat === 1 && bitsPerSample > 8 && bitsPerSample < 16) return 'uint16'
  if (sampleFormat === 1 && bitsPerSample > 16 && bitsPerSample < 32) return 'uint32'
  if (sampleFormat === 3 && bitsPerSample === 16) return 'float32'
  return types[key] ?? null
}
