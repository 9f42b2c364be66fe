/**
 * The twins of issue 23's open bench: one relief written by GDAL as a Float32 DEM and as its 8-bit
 * scaling, in the same layout — GDAL's default strips, LZW with a horizontal predictor — so that
 * the time to the first pixels of a value raster is measured against a picture's of the same
 * size and layout. Made once in `cacheDir` (bench/.cache: never committed).
 */
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import * as gdal from '../../test/helpers/gdal'
import { seededRandom } from '../../test/helpers/seededRandom'
import type { GeoTransform } from '../../src/shared/raster'

/** The file names of the two twins of one size. */
export interface DemTwins {
  /** Float32 elevations in metres (−120…4000, fractional), no-data −9999 in a disk and a strip. */
  float32: string
  /** The same relief scaled to 0–255 (Byte, grey), no no-data. */
  byte: string
}

/** The layout of both twins: GDAL's default strips, LZW, horizontal differencing. */
export const TWIN_LAYOUT = ['-co', 'COMPRESS=LZW', '-co', 'PREDICTOR=2']
const UTM: GeoTransform = [500000, 5, 0, 5600000, 0, -5]
const NO_DATA = -9999

/** The relief at (x, y) of a width × height DEM: hills, a slope and a little noise, in metres. */
function relief(x: number, y: number, height: number, noise: number): number {
  return 1800 + 1500 * Math.sin(x / 97) * Math.cos(y / 71) - (3200 * y) / height + 40 * noise
}

/** Writes (once) the Float32 DEM of width × height and its 8-bit twin in `cacheDir`. */
export async function ensureDemTwins(cacheDir: string, width: number, height: number): Promise<DemTwins> {
  mkdirSync(cacheDir, { recursive: true })
  const twins: DemTwins = { float32: join(cacheDir, `dem-${width}x${height}-float32-lzw.tif`), byte: join(cacheDir, `dem-${width}x${height}-byte-lzw.tif`) }
  if (existsSync(twins.float32) && existsSync(twins.byte)) return twins
  const random = seededRandom(23)
  const values = new Float32Array(width * height)
  const bytes = new Uint8Array(width * height)
  const cx = width * 0.62
  const cy = height * 0.45
  const r = Math.min(width, height) * 0.12
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const h = Math.max(-120, Math.min(4000, relief(x, y, height, random() - 0.5)))
      const hole = x < 3 || (x - cx) ** 2 + (y - cy) ** 2 < r * r
      values[y * width + x] = hole ? NO_DATA : h
      bytes[y * width + x] = Math.round(((h + 120) / 4120) * 255)
    }
  }
  const scratch = mkdtempSync(join(cacheDir, 'dem-src-'))
  try {
    const source = { geoTransform: UTM, srs: 'EPSG:32631' }
    const floatPath = await gdal.gdalRaster(scratch, 'float32', { width, height, bands: 1, type: 'float32', data: values }, TWIN_LAYOUT, { ...source, noData: NO_DATA })
    const bytePath = await gdal.gdalRaster(scratch, 'byte', { width, height, bands: 1, type: 'uint8', data: bytes }, TWIN_LAYOUT, { ...source, colorInterp: ['Gray'] })
    renameSync(floatPath, twins.float32)
    renameSync(bytePath, twins.byte)
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
  return twins
}
