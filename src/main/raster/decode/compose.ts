/**
 * Worker side: from the samples geotiff.js decodes (every band, pixel-interleaved) and a mask, to
 * what a tile carries: RGBA8 for pictures (grey replicated, palette expanded, alpha from the
 * declared alpha band and the mask), or the bands themselves plus a validity channel. Pure.
 */
import type { PixelOutput, SampleLayout } from './jobs'
import { PHOTOMETRIC } from '../tiffLayout'
import { sameKind } from './reduce'

type Samples = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array

/**
 * The tile samples of `pixels` pixels of `samples` (layout.bands per pixel) for `output`.
 * `mask` holds one byte per pixel, 0 where the file masks the pixel out.
 */
export function composeSamples(samples: Samples, pixels: number, layout: SampleLayout, output: PixelOutput, mask: Uint8Array | null): Samples {
  return output.kind === 'rgba8' ? composeRgba8(samples, pixels, layout, mask) : withValidity(samples, pixels, layout, output.bands, output.mask, mask)
}

function composeRgba8(samples: Samples, pixels: number, layout: SampleLayout, mask: Uint8Array | null): Uint8Array {
  const out = new Uint8Array(pixels * 4)
  const { bands, alphaBand, photometric, colorMap } = layout
  const entries = colorMap ? colorMap.length / 3 : 0
  for (let p = 0, at = 0; p < pixels; p++, at += bands) {
    let r: number
    let g: number
    let b: number
    if (photometric === PHOTOMETRIC.palette && colorMap) {
      const index = samples[at]!
      // 16-bit colour-map entries to 8 bits as GDAL does (a GDAL-written map is value × 257).
      r = Math.round(colorMap[index]! / 257)
      g = Math.round(colorMap[entries + index]! / 257)
      b = Math.round(colorMap[2 * entries + index]! / 257)
    } else if (photometric === PHOTOMETRIC.rgb) {
      r = samples[at]!
      g = samples[at + 1]!
      b = samples[at + 2]!
    } else if (photometric === PHOTOMETRIC.ycbcr) {
      // geotiff.js hands a YCbCr JPEG's samples as stored (a COG read by URL: libvips converts a
      // local one): converted as libjpeg does (JFIF, full range), which GDAL reads through.
      ;[r, g, b] = ycbcrToRgb(samples[at]!, samples[at + 1]!, samples[at + 2]!)
    } else {
      const grey = photometric === PHOTOMETRIC.minIsWhite ? 255 - samples[at]! : samples[at]!
      r = g = b = grey
    }
    const o = p * 4
    out[o] = r
    out[o + 1] = g
    out[o + 2] = b
    const alpha = alphaBand >= 0 ? samples[at + alphaBand]! : 255
    out[o + 3] = mask && mask[p] === 0 ? 0 : alpha
  }
  return out
}

/** One JFIF YCbCr pixel as RGB, rounded and clamped to 0–255 (libjpeg's jdcolor.c, in floating point). */
export function ycbcrToRgb(y: number, cb: number, cr: number): [number, number, number] {
  const clamp = (v: number): number => Math.min(255, Math.max(0, Math.round(v)))
  return [clamp(y + 1.402 * (cr - 128)), clamp(y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128)), clamp(y + 1.772 * (cb - 128))]
}

/**
 * The bands, plus a validity channel (0 where masked or transparent) when `withMask`. `outBands`
 * is the file's band count (GDAL keeps a declared alpha band as a band), or one less when the
 * alpha band only serves as validity (a built pyramid of a 16-bit PNG with alpha).
 */
function withValidity(samples: Samples, pixels: number, layout: SampleLayout, outBands: number, withMask: boolean, mask: Uint8Array | null): Samples {
  const { bands, alphaBand } = layout
  if (!withMask && outBands === bands) return samples
  const kept = Array.from({ length: bands }, (_, band) => band).filter((band) => outBands === bands || band !== alphaBand)
  if (kept.length !== outBands) throw new Error(`the file has ${bands} bands where ${outBands} were expected`)
  const channels = outBands + (withMask ? 1 : 0)
  const out = sameKind(samples, pixels * channels)
  for (let p = 0; p < pixels; p++) {
    const from = p * bands
    const to = p * channels
    for (let c = 0; c < outBands; c++) out[to + c] = samples[from + kept[c]!]!
    if (withMask) out[to + outBands] = (!mask || mask[p] !== 0) && (alphaBand < 0 || samples[from + alphaBand] !== 0) ? 1 : 0
  }
  return out
}
