/**
 * Tile keys and tile-pyramid arithmetic, used identically by the main process (to serve tiles)
 * and the renderer (to ask for them). Pure functions, no Node, no DOM.
 */
import type { LevelSize } from './raster'

/** Address of one tile of one raster. */
export interface TileAddress {
  rasterId: string
  level: number
  col: number
  row: number
}

/** The one string form of a tile address: `rasterId/level/col/row`. Used as the loader's request id. */
export function tileKey(address: TileAddress): string {
  return `${address.rasterId}/${tileCoordKey(address)}`
}

/** A tile's place in its raster's pyramid, `level/col/row` (the tail of its `tileKey`): for a message that names the raster otherwise. */
export function tileCoordKey(address: Pick<TileAddress, 'level' | 'col' | 'row'>): string {
  return `${address.level}/${address.col}/${address.row}`
}

/** Inverse of `tileKey`; returns null for a string that is not a tile key. */
export function parseTileKey(key: string): TileAddress | null {
  const slash = key.lastIndexOf('/', key.lastIndexOf('/', key.lastIndexOf('/') - 1) - 1)
  if (slash <= 0) return null
  const rasterId = key.slice(0, slash)
  const parts = key.slice(slash + 1).split('/')
  if (parts.length !== 3) return null
  const [level, col, row] = parts.map((p) => (/^\d{1,9}$/.test(p) ? Number(p) : NaN))
  if (!Number.isInteger(level) || !Number.isInteger(col) || !Number.isInteger(row)) return null
  return { rasterId, level: level!, col: col!, row: row! }
}

/**
 * Sizes of the pyramid levels of a width × height image: levels[0] is full size, each next one
 * half of the previous (rounded up), down to the first level that fits in one tile.
 */
export function pyramidLevels(width: number, height: number, tileSize: number): LevelSize[] {
  // Integers only: a non-finite size or a tile smaller than one pixel would never fit, and loop forever.
  if (![width, height, tileSize].every((n) => Number.isSafeInteger(n) && n > 0)) {
    throw new RangeError(`Expected positive integer width, height and tileSize but received ${width}×${height}, tile ${tileSize}`)
  }
  const levels: LevelSize[] = [{ width, height }]
  let w = width
  let h = height
  while (w > tileSize || h > tileSize) {
    w = Math.ceil(w / 2)
    h = Math.ceil(h / 2)
    levels.push({ width: w, height: h })
  }
  return levels
}

/** Number of tile columns and rows of a level. */
export function tileGrid(level: LevelSize, tileSize: number): { cols: number; rows: number } {
  return { cols: Math.ceil(level.width / tileSize), rows: Math.ceil(level.height / tileSize) }
}

/** Pixel rectangle (in that level's pixels) covered by tile (col, row); edge tiles are smaller. */
export function tileRect(
  level: LevelSize,
  tileSize: number,
  col: number,
  row: number
): { left: number; top: number; width: number; height: number } {
  const left = col * tileSize
  const top = row * tileSize
  return {
    left,
    top,
    width: Math.min(tileSize, level.width - left),
    height: Math.min(tileSize, level.height - top)
  }
}

/** True when (level, col, row) names an existing tile of the pyramid. */
export function isTileInPyramid(levels: readonly LevelSize[], tileSize: number, level: number, col: number, row: number): boolean {
  if (!Number.isInteger(level) || level < 0 || level >= levels.length) return false
  const { cols, rows } = tileGrid(levels[level]!, tileSize)
  return Number.isInteger(col) && Number.isInteger(row) && col >= 0 && row >= 0 && col < cols && row < rows
}

/**
 * How a zoom between two levels picks one: 'finer', the coarsest level whose pixels are still no
 * larger than a screen pixel (a file's pixels are never magnified before the finest level); or
 * 'nearest', the level whose resolution is nearest the view's (OpenLayers' default, and every web
 * map's: a tile is drawn from 2/3 to 4/3 of its size, pre-rendered map tiles at about the size
 * they were drawn for, and up to 2.25 times fewer of them to fetch between two levels).
 */
export type LevelChoice = 'finer' | 'nearest'

/**
 * Level of detail for a zoom given in screen pixels per full-resolution pixel, by `choice`
 * ('finer': level 0 from 50 % up; 'nearest': from 2/3 up), clamped to the pyramid.
 */
export function levelForZoom(zoom: number, levelCount: number, choice: LevelChoice = 'finer'): number {
  if (!(zoom > 0)) return levelCount - 1
  const resolution = 1 / zoom
  // Nearest in resolution: level L + 1 (twice L's) once the view's is past 1.5 times L's.
  const ideal = choice === 'finer' ? Math.floor(Math.log2(resolution) + 1e-9) : Math.floor(Math.log2(resolution / 1.5) + 1e-9) + 1
  return Math.max(0, Math.min(levelCount - 1, ideal))
}
