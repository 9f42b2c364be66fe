/**
 * Worker side: how sharp pipelines are opened and how their pixels leave them (RGBA8 or one band
 * in its own type), as ArrayBuffers that can be transferred.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs'
import sharp, { type Sharp, type SharpOptions } from 'sharp'
import type { SampleType } from '../../../shared/raster'
import { BYTES_PER_SAMPLE, typedSamples as typedView } from '../../../shared/tileFrame'
import type { ImageSelector, PixelOutput, TilePixels } from './jobs'

/** Bytes per sample of each sample type: the one table of the wire format, re-exported. */
export { BYTES_PER_SAMPLE } from '../../../shared/tileFrame'

/** Sample type of a libvips band format (sharp's `depth`); null for complex formats. */
export function sampleTypeOfDepth(depth: string): SampleType | null {
  const types: Record<string, SampleType> = {
    uchar: 'uint8',
    char: 'int8',
    ushort: 'uint16',
    short: 'int16',
    uint: 'uint32',
    int: 'int32',
    float: 'float32',
    double: 'float64'
  }
  return types[depth] ?? null
}

/**
 * Opens an image of a file. Pixel limits are Tessera's business (openRaster checks them before any
 * decode), so sharp's own limit is lifted; truncated data still fails rather than showing grey,
 * unless the file is known to be damaged and said so (`tolerant`).
 */
export function openImage(path: string, image: ImageSelector = {}, autoOrient = false, tolerant = false): Sharp {
  if (image.file) path = image.file // an external overview (`.ovr`) of the file
  // `tolerant`: a file whose damage the probe found and the person was told of (a truncated JPEG):
  // its rows past the damage decode grey instead of failing the whole image.
  const options: SharpOptions = { limitInputPixels: false, failOn: tolerant ? 'none' : 'truncated', autoOrient }
  if (image.page !== undefined) options.page = image.page
  if (image.subifd !== undefined) options.tiff = { subifd: image.subifd }
  // An SVG loaded from a file may pull in other files (<image href>, relative or file:): librsvg
  // resolves them against the file's directory. From memory it has no base and reads nothing else.
  return sharp(looksLikeXml(path) ? readFileSync(path) : path, options)
}

// The file loader of SVG is never used, whatever the file claims to be (a gzipped SVG is then refused).
sharp.block({ operation: ['VipsForeignLoadSvgFile'] })

/** True when the file starts (after a BOM and blanks) with '<': an SVG (the only XML format libvips loads). */
function looksLikeXml(path: string): boolean {
  const head = Buffer.alloc(256)
  let length = 0
  try {
    const fd = openSync(path, 'r')
    try {
      length = readSync(fd, head, 0, head.length, 0)
    } finally {
      closeSync(fd)
    }
  } catch {
    return false // sharp reports the file's own error
  }
  const text = head.subarray(0, length).toString('latin1').replace(/^\xef\xbb\xbf/, '').trimStart()
  return text.startsWith('<')
}

/** A sharp pipeline over raw pixels (a shared level or a copy of part of one). */
export function openRaw(data: Uint8Array, width: number, height: number, channels: number, sampleType: SampleType): Sharp {
  const view = typedView(sampleType, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength / BYTES_PER_SAMPLE[sampleType])
  // sharp takes the band format from the kind of typed array: a Buffer would be read as 8-bit.
  return sharp(view, { raw: { width, height, channels: channels as 1 | 2 | 3 | 4 } })
}

/**
 * The pipeline converted to `output`, ready for raw or TIFF output: sRGB with alpha for RGBA8;
 * one 8-bit grey band (a scan), or 16-bit grey or RGB (alpha kept as the validity channel) for
 * bands: the band types libvips produces for the formats it reads in Tessera (TIFF value rasters
 * go through geotiff.js).
 */
export function convertFor(pipeline: Sharp, output: PixelOutput): Sharp {
  if (output.kind === 'rgba8') return pipeline.toColourspace('srgb').ensureAlpha()
  if (output.sampleType === 'uint8' && output.bands === 1 && !output.mask) return pipeline.toColourspace('b-w')
  if (output.sampleType !== 'uint16') throw new Error(`libvips does not produce ${output.sampleType} bands here`)
  // extractChannel on a 16-bit image would go through 8-bit sRGB; grey16 and rgb16 keep all 16 bits.
  return pipeline.toColourspace(output.bands === 1 ? 'grey16' : 'rgb16')
}

/** Ends a pipeline with the conversion to `output` and returns its pixels in their own buffer. */
export async function toPixels(pipeline: Sharp, output: PixelOutput): Promise<TilePixels> {
  const eightBit = output.kind === 'rgba8' || output.sampleType === 'uint8'
  const converted = eightBit ? convertFor(pipeline, output).raw() : convertFor(pipeline, output).raw({ depth: 'ushort' })
  const sampleType: SampleType = eightBit ? 'uint8' : 'uint16'
  // toBuffer and one copy into a fresh, transferable ArrayBuffer, not sharp 0.35's toUint8Array():
  // measured here, 2,500 tile reads through toUint8Array() grew the process RSS by ~770 MB and
  // kept growing (a soak of the viewer reached 1.5 GB), while toBuffer levels off at ~300 MB.
  // The copy of a 256 KB tile costs a few hundredths of a millisecond.
  const { data, info } = await converted.toBuffer({ resolveWithObject: true })
  const expected = output.kind === 'rgba8' ? 4 : output.bands + (output.mask ? 1 : 0)
  if (info.channels !== expected) throw new Error(`decoded ${info.channels} channels where ${expected} were expected`)
  return { width: info.width, height: info.height, channels: info.channels, sampleType, buffer: copyToArrayBuffer(data) }
}

/** A V8-owned copy of `data`, detachable and so transferable to another thread. */
export function copyToArrayBuffer(data: Uint8Array): ArrayBuffer {
  const copy = new ArrayBuffer(data.byteLength)
  new Uint8Array(copy).set(data)
  return copy
}

/** A typed array of `sampleType` over a buffer: the wire format's own view. */
export { typedView }
