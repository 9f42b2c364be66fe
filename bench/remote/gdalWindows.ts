/**
 * GDAL's side of the `remote` suite: the window of a view in the level Tessera draws it from (its
 * planner's own functions: `levelForZoom`, `visibleRange`), and GDAL reading that window from the
 * same URL, at the same overview level, as a person would:
 * `gdal_translate -oo OVERVIEW_LEVEL=N -srcwin x y w h /vsicurl/http://… out` (the overview opened
 * as the dataset, so the window is in its pixels: `-ovr N` would take -srcwin in full-resolution
 * pixels and read a window 2^level times smaller, as the first runs of this suite did) with
 * GDAL_DISABLE_READDIR_ON_OPEN=EMPTY_DIR and CPL_VSIL_CURL_ALLOWED_EXTENSIONS=.tif (no directory
 * listing, no side-car probing: only the file's own requests).
 */
import { execFile } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { levelForZoom } from '../../src/shared/tiles'
import { visibleRange, type PyramidGeometry } from '../../src/renderer/view/TileScheduler'
import type { View } from '../view/script'
import { gdalInfo } from '../../test/helpers/gdal'

const run = promisify(execFile)

export interface Window {
  /** Level of the pyramid (0 = full resolution); GDAL's overview index is level − 1. */
  level: number
  x: number
  y: number
  width: number
  height: number
  /** Tiles of the level the window covers. */
  tiles: number
}

/** A COG's pyramid as Tessera's planner sees it: level 0 then GDAL's overviews, 256² tiles. */
export async function cogGeometry(path: string): Promise<PyramidGeometry> {
  const info = (await gdalInfo(path)) as unknown as { size: [number, number]; bands: Array<{ block: [number, number]; overviews?: Array<{ size: [number, number] }> }> }
  const band = info.bands[0]!
  const levels = [{ width: info.size[0], height: info.size[1] }, ...(band.overviews ?? []).map((o) => ({ width: o.size[0], height: o.size[1] }))]
  return { width: info.size[0], height: info.size[1], tileSize: band.block[0], levels }
}

/** The tiles a view of `viewWidth` × `viewHeight` CSS pixels shows, at the level it is drawn from, as a pixel window of that level. */
export function windowOf(view: View, viewWidth: number, viewHeight: number, geometry: PyramidGeometry): Window {
  const level = levelForZoom(view.zoom, geometry.levels.length)
  const range = visibleRange({ ...view, width: viewWidth, height: viewHeight }, geometry, level)
  if (!range) throw new Error(`Expected the view ${JSON.stringify(view)} to show part of the raster but it shows none`)
  const size = geometry.levels[level]!
  const t = geometry.tileSize
  const x = range.col0 * t
  const y = range.row0 * t
  return {
    level,
    x,
    y,
    width: Math.min(size.width, (range.col1 + 1) * t) - x,
    height: Math.min(size.height, (range.row1 + 1) * t) - y,
    tiles: (range.col1 - range.col0 + 1) * (range.row1 - range.row0 + 1)
  }
}

export const GDAL_REMOTE_ENV = {
  GDAL_DISABLE_READDIR_ON_OPEN: 'EMPTY_DIR',
  CPL_VSIL_CURL_ALLOWED_EXTENSIONS: '.tif'
} as const

/** `gdal_translate` of `window` of the COG at `url` (a fresh process: GDAL's caches start empty), written to a scratch file then deleted. */
export async function gdalReadWindow(url: string, window: Window, scratchDir: string): Promise<number> {
  const out = join(scratchDir, `gdal-window-${process.pid}.tif`)
  const started = performance.now()
  try {
    await run(
      'gdal_translate',
      ['-q', ...(window.level > 0 ? ['-oo', `OVERVIEW_LEVEL=${window.level - 1}`] : []), '-srcwin', String(window.x), String(window.y), String(window.width), String(window.height), `/vsicurl/${url}`, out],
      { env: { ...process.env, ...GDAL_REMOTE_ENV }, maxBuffer: 16 * 1024 * 1024 }
    )
  } catch (error) {
    const e = error as { stderr?: string; message: string }
    throw new Error(`gdal_translate of ${JSON.stringify(window)} from /vsicurl/${url} failed: ${(e.stderr || e.message).trim()}`)
  } finally {
    rmSync(out, { force: true })
    rmSync(`${out}.aux.xml`, { force: true })
  }
  return performance.now() - started
}

/**
 * Where a COG's tile data starts: the smallest offset of any level's first tile (GDAL writes the
 * header, every IFD and the tile index arrays before it). A request for bytes below it reads the
 * file's structure, not pixels. Asked of GDAL's Python bindings (Debian's python3-gdal).
 */
export async function firstTileOffset(path: string): Promise<number> {
  const script = [
    'import sys',
    'from osgeo import gdal',
    'ds = gdal.Open(sys.argv[1])',
    'b = ds.GetRasterBand(1)',
    'bands = [b] + [b.GetOverview(i) for i in range(b.GetOverviewCount())]',
    "print(min(int(x.GetMetadataItem('BLOCK_OFFSET_0_0', 'TIFF')) for x in bands))"
  ].join('\n')
  const { stdout } = await run('/usr/bin/python3', ['-c', script, path])
  const offset = Number(stdout.trim())
  if (!Number.isFinite(offset) || offset <= 0) throw new Error(`Expected the first tile offset of ${path} from GDAL but read ${JSON.stringify(stdout)}`)
  return offset
}
