/**
 * TIFFs whose all-zero blocks GDAL left out of the file (`SPARSE_OK=TRUE`: offset and byte count
 * 0), as mosaics and warped orthophotos often are. GDAL reads such a block as zeros; libtiff's JPEG
 * codec fails on it, and every tile touching one used to fail ("Unknown error"). Every tile of every
 * level is served now, and level 0 equals GDAL's own read of the file: exactly zero (transparent
 * under a mask) in the empty blocks, within JPEG decoder rounding elsewhere.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeRasterRuntime } from '../../src/main/host/rasterOpener'
import { openRaster } from '../../src/main/raster/openRaster'
import { emptyBlocksIn } from '../../src/main/raster/decode/emptyBlocks'
import type { RasterSource } from '../../src/main/raster/types'
import { tileGrid } from '../../src/shared/tiles'
import * as gdal from '../helpers/gdal'
import { noisyGradient, plainTiff } from '../helpers/jpegTiffs'

// Not multiples of the blocks: edge blocks are partial.
const W = 1300
const H = 900
/** The area left empty: one 512² block, four 256² ones. */
const HOLE = { left: 512, top: 0, width: 512, height: 512 }
/** Largest difference allowed from GDAL's read outside the holes: both decode with libjpeg-turbo, not always the same IDCT. */
const JPEG_ROUNDING = 2

let dir: string
const files: Record<string, string> = {}
const rasters: RasterSource[] = []

beforeAll(async () => {
  gdal.requireGdal()
  dir = mkdtempSync(join(tmpdir(), 'tessera-empty-blocks-'))
  const rgb = noisyGradient(W, H)
  for (let y = HOLE.top; y < HOLE.top + HOLE.height; y++) rgb.fill(0, (y * W + HOLE.left) * 3, (y * W + HOLE.left + HOLE.width) * 3)
  const plain = await plainTiff(join(dir, 'plain.tif'), rgb, W, H)
  const tiled = (size: number): string[] => ['-co', 'TILED=YES', '-co', `BLOCKXSIZE=${size}`, '-co', `BLOCKYSIZE=${size}`, '-co', 'SPARSE_OK=TRUE']
  files.ycbcr = await gdal.translate(plain, join(dir, 'ycbcr.tif'), [...tiled(256), '-co', 'COMPRESS=JPEG', '-co', 'PHOTOMETRIC=YCBCR'])
  files.rgb = await gdal.translate(plain, join(dir, 'rgb.tif'), [...tiled(256), '-co', 'COMPRESS=JPEG', '-co', 'PHOTOMETRIC=RGB'])
  // A COG of 512² blocks: Tessera's 256² tiles lie inside them; its overviews are sparse too.
  files.cog512 = await gdal.translate(plain, join(dir, 'cog-512.tif'), ['-of', 'COG', '-co', 'COMPRESS=JPEG', '-co', 'BLOCKSIZE=512', '-co', 'SPARSE_OK=TRUE'])
  // An internal mask (alpha): the empty blocks are transparent, as GDAL's mask says.
  const rgba = gdal.rgbImage(W, H, true)
  const plane = W * H
  for (let y = HOLE.top; y < HOLE.top + HOLE.height; y++) {
    for (let x = HOLE.left; x < HOLE.left + HOLE.width; x++) for (let b = 0; b < 4; b++) rgba.data[b * plane + y * W + x] = 0
  }
  const source = gdal.writeSource(dir, 'mask-src', rgba, { colorInterp: ['Red', 'Green', 'Blue', 'Undefined'] })
  files.masked = await gdal.translate(source, join(dir, 'masked.tif'), [
    '-b', '1', '-b', '2', '-b', '3', '-mask', '4', '-colorinterp', 'red,green,blue', ...tiled(256),
    '-co', 'COMPRESS=JPEG', '-co', 'PHOTOMETRIC=YCBCR', '--config', 'GDAL_TIFF_INTERNAL_MASK', 'YES'
  ])
}, 120_000)

afterAll(async () => {
  await Promise.all(rasters.map((r) => r.close()))
  await closeRasterRuntime()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function opened(path: string): Promise<RasterSource> {
  const raster = await openRaster(path)
  rasters.push(raster)
  return raster
}

describe('TIFF blocks stored empty (GDAL SPARSE_OK)', () => {
  it('finds them in the file: the four 256² blocks of the hole, none elsewhere', async () => {
    const found = await emptyBlocksIn(files.ycbcr!, {}, { left: 500, top: 0, width: 300, height: 300 })
    expect(found?.blocks).toEqual([
      { rect: { left: 500, top: 0, width: 12, height: 256 }, empty: false },
      { rect: { left: 512, top: 0, width: 256, height: 256 }, empty: true },
      { rect: { left: 768, top: 0, width: 32, height: 256 }, empty: true },
      { rect: { left: 500, top: 256, width: 12, height: 44 }, empty: false },
      { rect: { left: 512, top: 256, width: 256, height: 44 }, empty: true },
      { rect: { left: 768, top: 256, width: 32, height: 44 }, empty: true }
    ])
    expect(await emptyBlocksIn(files.ycbcr!, {}, { left: 0, top: 0, width: 512, height: 256 })).toBeNull()
    expect(await emptyBlocksIn(join(dir, 'plain.tif'), {}, HOLE)).toBeNull() // written whole
  })

  for (const name of ['ycbcr', 'rgb', 'cog512', 'masked'] as const) {
    it(`serves every tile of ${name}, level 0 as GDAL reads it`, async () => {
      const raster = await opened(files[name]!)
      const { levels, tileSize } = raster.info
      // Every level: no tile fails.
      for (let level = 1; level < levels.length; level++) {
        const { cols, rows } = tileGrid(levels[level]!, tileSize)
        for (let row = 0; row < rows; row++) for (let col = 0; col < cols; col++) await raster.readTile(level, col, row)
      }
      const reference = await gdal.gdalRead(files[name]!, dir)
      const mask = name === 'masked' ? await gdal.gdalRead(files[name]!, dir, ['-b', 'mask']) : null
      const { cols, rows } = tileGrid(levels[0]!, tileSize)
      let worst = 0
      let notZero = 0
      let wrongAlpha = 0
      for (let row = 0; row < rows; row++) {
        for (let col = 0; col < cols; col++) {
          const tile = await raster.readTile(0, col, row)
          expect(tile.channels).toBe(4)
          for (let y = 0; y < tile.height && row * tileSize + y < H; y++) {
            for (let x = 0; x < tile.width && col * tileSize + x < W; x++) {
              const px = col * tileSize + x
              const py = row * tileSize + y
              const at = (y * tile.width + x) * 4
              const inHole = px >= HOLE.left && px < HOLE.left + HOLE.width && py >= HOLE.top && py < HOLE.top + HOLE.height
              const alpha = mask ? (mask.data[py * W + px]! > 0 ? 255 : 0) : 255
              if (tile.data[at + 3] !== alpha) wrongAlpha++
              if (alpha === 0) continue
              for (let b = 0; b < 3; b++) {
                if (inHole) notZero += tile.data[at + b] === 0 ? 0 : 1
                else worst = Math.max(worst, Math.abs(tile.data[at + b]! - reference.data[b * W * H + py * W + px]!))
              }
            }
          }
        }
      }
      expect(wrongAlpha, 'pixels whose alpha is not what GDAL\'s mask says').toBe(0)
      expect(notZero, 'samples of the empty blocks that are not 0').toBe(0)
      expect(worst).toBeLessThanOrEqual(JPEG_ROUNDING)
    }, 120_000)
  }
})
