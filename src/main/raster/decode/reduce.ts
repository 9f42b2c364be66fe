/**
 * Reductions that never mix invalid pixels into values (GDAL's AVERAGE with no-data): a reduced
 * sample is the mean of the valid samples of its block, or no-data when none is valid. Pure; runs
 * in the workers on interleaved samples of any type.
 */
import type { ReduceRule } from './jobs'

type Samples = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array

/** A typed array of the same kind as `like`, of `length` samples. */
export function sameKind<T extends Samples>(like: T, length: number): T {
  return new (like.constructor as new (length: number) => T)(length)
}

/**
 * Reduces `source` (width × height × channels, interleaved) by `factor` in each direction: the
 * result is ceil(width / factor) × ceil(height / factor), blocks cut short at the right and bottom
 * edges averaging what they hold. Integer samples are rounded to nearest.
 */
export function reduceBlocks<T extends Samples>(source: T, width: number, height: number, channels: number, factor: number, rule: ReduceRule): { data: T; width: number; height: number } {
  const outWidth = Math.ceil(width / factor)
  const outHeight = Math.ceil(height / factor)
  const out = sameKind(source, outWidth * outHeight * channels)
  const integer = !(source instanceof Float32Array || source instanceof Float64Array)
  const noData = rule.noData
  const validityChannel = rule.validity === 'none' ? -1 : channels - 1
  const valueChannels = validityChannel < 0 ? channels : channels - 1
  const sums = new Float64Array(valueChannels)
  const counts = new Uint32Array(valueChannels)
  const fill = noData ?? (integer ? 0 : Number.NaN)
  for (let oy = 0; oy < outHeight; oy++) {
    const y0 = oy * factor
    const y1 = Math.min(height, y0 + factor)
    for (let ox = 0; ox < outWidth; ox++) {
      const x0 = ox * factor
      const x1 = Math.min(width, x0 + factor)
      sums.fill(0)
      counts.fill(0)
      let validitySum = 0
      let validPixels = 0
      let pixels = 0
      for (let y = y0; y < y1; y++) {
        let at = (y * width + x0) * channels
        for (let x = x0; x < x1; x++, at += channels) {
          pixels++
          if (validityChannel >= 0) {
            const v = source[at + validityChannel]!
            validitySum += v
            if (v === 0) continue
            validPixels++
          }
          for (let c = 0; c < valueChannels; c++) {
            const value = source[at + c]!
            if (value !== value || value === noData) continue // NaN or no-data
            sums[c]! += value
            counts[c]!++
          }
        }
      }
      const target = (oy * outWidth + ox) * channels
      if (rule.nearest) {
        // Class values: the block's first valid pixel, whole (never a mean of classes).
        const from = validityChannel >= 0 && validPixels > 0 ? firstValid(source, width, channels, validityChannel, x0, x1, y0, y1) - validityChannel : firstValue(source, width, channels, noData, x0, x1, y0, y1)
        for (let c = 0; c < channels; c++) out[target + c] = source[from + c]!
        continue
      }
      for (let c = 0; c < valueChannels; c++) {
        const n = counts[c]!
        out[target + c] = n === 0 ? fill : integer ? Math.round(sums[c]! / n) : sums[c]! / n
      }
      if (validityChannel >= 0) {
        // Alpha averages (an edge fades as it does in any viewer); a mask is valid where any pixel was.
        out[target + validityChannel] = rule.validity === 'alpha' ? Math.round(validitySum / pixels) : validPixels > 0 ? source[firstValid(source, width, channels, validityChannel, x0, x1, y0, y1)]! : 0
      }
    }
  }
  return { data: out, width: outWidth, height: outHeight }
}

/** Index of the validity sample of the first valid pixel of a block (its value is kept: 1, 255 or 65535 alike). */
function firstValid(source: Samples, width: number, channels: number, channel: number, x0: number, x1: number, y0: number, y1: number): number {
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const at = (y * width + x) * channels + channel
      if (source[at] !== 0) return at
    }
  }
  return (y0 * width + x0) * channels + channel
}

/** Index of the first pixel of a block whose first sample is a value (not NaN nor no-data), else of its first pixel. */
function firstValue(source: Samples, width: number, channels: number, noData: number | null, x0: number, x1: number, y0: number, y1: number): number {
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const at = (y * width + x) * channels
      const value = source[at]!
      if (value === value && value !== noData) return at
    }
  }
  return (y0 * width + x0) * channels
}

/**
 * `source` (width × height × channels) cut or extended to outWidth × outHeight from its top-left:
 * missing columns and rows repeat the last ones, so that edge tiles have the size the contract promises.
 */
export function fitTo<T extends Samples>(source: T, width: number, height: number, channels: number, outWidth: number, outHeight: number): T {
  if (width === outWidth && height === outHeight) return source
  const out = sameKind(source, outWidth * outHeight * channels)
  for (let y = 0; y < outHeight; y++) {
    const sy = Math.min(y, height - 1)
    for (let x = 0; x < outWidth; x++) {
      const sx = Math.min(x, width - 1)
      const from = (sy * width + sx) * channels
      const to = (y * outWidth + x) * channels
      for (let c = 0; c < channels; c++) out[to + c] = source[from + c]!
    }
  }
  return out
}

/** `source` resized to outWidth × outHeight by nearest neighbour: values stay values (an enlarged value raster, never blended with no-data). */
export function resizeNearest<T extends Samples>(source: T, width: number, height: number, channels: number, outWidth: number, outHeight: number): T {
  const out = sameKind(source, outWidth * outHeight * channels)
  for (let y = 0; y < outHeight; y++) {
    const sy = Math.min(height - 1, Math.floor(((y + 0.5) * height) / outHeight))
    for (let x = 0; x < outWidth; x++) {
      const sx = Math.min(width - 1, Math.floor(((x + 0.5) * width) / outWidth))
      const from = (sy * width + sx) * channels
      const to = (y * outWidth + x) * channels
      for (let c = 0; c < channels; c++) out[to + c] = source[from + c]!
    }
  }
  return out
}
