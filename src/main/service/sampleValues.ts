/**
 * `sample-values`: the level-0 values of a value raster at pixel positions (a profile along a line,
 * issue 23), read from the file through the raster's own tile reads, whatever the renderer has
 * cached. Each level-0 tile the points fall in is read once per call, at most
 * `MAX_SAMPLE_TILES` of them; a call that needs more is refused (the renderer asks in batches along
 * its line, so a batch stays within a few tiles). The no-data rule is the readout's (the renderer's
 * `pixelValues`): NaN or the raster's no-data value is null, and a masked pixel is null in every band.
 */
import type { SamplePoint, SampledValues } from '../../shared/calls'
import { TesseraError } from '../../shared/errors'
import type { RasterInfo } from '../../shared/raster'
import type { DecodedTile } from '../raster/types'

/** Most level-0 tiles one call may read: 16 tiles of 256² Float32 are 4 MiB decoded. */
export const MAX_SAMPLE_TILES = 16

/** Reads one tile of the raster (level, column, row). */
export type ReadTile = (level: number, col: number, row: number) => Promise<DecodedTile>

/**
 * The values at each point (level-0 column and row, the pixel being their floor): the bands' values,
 * null for a band with no data there, or null for a point outside the raster. Rejects with a
 * TesseraError for a raster whose tiles carry colours rather than values, or for points spread
 * over more than MAX_SAMPLE_TILES tiles.
 */
export async function sampleValues(info: RasterInfo, points: readonly SamplePoint[], readTile: ReadTile): Promise<SampledValues[]> {
  if (info.tileKind !== 'bands') {
    throw new TesseraError('not-allowed', `Cannot sample values of ${info.name}: its tiles carry colours (${info.tileKind}), not values; only value rasters are sampled`)
  }
  const size = info.tileSize
  const pixels = points.map((p) => ({ x: Math.floor(p.x), y: Math.floor(p.y) }))
  const inside = (p: { x: number; y: number }): boolean => p.x >= 0 && p.y >= 0 && p.x < info.width && p.y < info.height
  const tiles = new Map<string, { col: number; row: number }>()
  for (const p of pixels) {
    if (!inside(p)) continue
    const col = Math.floor(p.x / size)
    const row = Math.floor(p.y / size)
    tiles.set(`${col}/${row}`, { col, row })
  }
  if (tiles.size > MAX_SAMPLE_TILES) {
    throw new TesseraError(
      'bad-message',
      `Expected points within at most ${MAX_SAMPLE_TILES} level-0 tiles of ${info.name} for sample-values but received points in ${tiles.size} tiles: ask in smaller batches`
    )
  }
  const read = new Map<string, DecodedTile>()
  await Promise.all(
    [...tiles].map(async ([key, { col, row }]) => {
      read.set(key, await readTile(0, col, row))
    })
  )
  return pixels.map((p) => {
    if (!inside(p)) return null
    const col = Math.floor(p.x / size)
    const row = Math.floor(p.y / size)
    return bandValuesAt(read.get(`${col}/${row}`)!, info, p.x - col * size, p.y - row * size)
  })
}

/** The bands' values of a 'bands' tile at (x, y) within it; the mask channel, when there is one, is last. */
export function bandValuesAt(tile: DecodedTile, info: Pick<RasterInfo, 'tileMask' | 'noData'>, x: number, y: number): Array<number | null> {
  const at = (y * tile.width + x) * tile.channels
  const bands = tile.channels - (info.tileMask ? 1 : 0)
  const masked = info.tileMask && tile.data[at + bands] === 0
  const out: Array<number | null> = []
  for (let b = 0; b < bands; b++) {
    const v = tile.data[at + b]!
    out.push(masked || Number.isNaN(v) || (info.noData !== null && v === info.noData) ? null : v)
  }
  return out
}
