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
/** Codecs geotiff.js decodes in the worker (its JPEG and WebP decoders need a browser: not these). */
const GEOTIFF_CODECS = new Set([1, 5, 8, 32773, 32946, 34887, 50000])

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
 * The decoder of a TIFF, or the reason it cannot be read correctly (a sentence fragment that
 * follows "Cannot open <file>: "). libvips reads 8-bit pictures in the codecs it has; geotiff.js
 * everything else it can decode (every sample type, band-interleaved, ZSTD, LERC); a codec
 * neither decodes is refused by name rather than shown as zeros.
 */
export function chooseTiffDecoder(layout: TiffLayout): { decoder: TiffDecoder } | { refused: string } {
  const codecs = new Set(layout.images.map((image) => image.compression))
  const masks = new Set(layout.masks.map((mask) => mask.compression))
  for (const code of masks) {
    if (!GEOTIFF_CODECS.has(code)) return { refused: `its mask's ${compressionName(code)} compression is not supported` }
  }
  if (layout.sampleType === null) {
    return { refused: `its sample format (SampleFormat ${layout.sampleFormat}, ${layout.bitsPerSample} bits) is not supported` }
  }
  const vipsCan = [...codecs].every((code) => VIPS_CODECS.has(code))
  // libvips reads no tiled separate planes: one such image (an .ovr) sends the whole file to geotiff.js.
  const separate = layout.planarSeparate || layout.images.some((image) => image.planarSeparate)
  if (vipsCan && isPictureLayout(layout) && !separate) return { decoder: 'vips' }
  const unsupported = [...codecs].find((code) => !GEOTIFF_CODECS.has(code))
  if (unsupported === undefined) {
    if (layout.bitsPerSample !== 8 && layout.bitsPerSample !== 16 && layout.bitsPerSample !== 32 && layout.bitsPerSample !== 64) {
      return { refused: `its ${layout.bitsPerSample}-bit samples are not supported` }
    }
    return { decoder: 'geotiff' }
  }
  if (vipsCan) {
    // A JPEG or WebP tile of a layout libvips does not show as GDAL reads it (a value raster, no-data).
    return { refused: `its ${compressionName(unsupported)} compression is only supported for 8-bit grey or RGB images without no-data` }
  }
  return { refused: `its ${compressionName(unsupported)} compression is not supported` }
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
  return types[key] ?? null
}
