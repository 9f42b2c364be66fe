/**
 * Issue 23, hillshade on the fly, end to end in a browser: a Float32 DEM written by GDAL (tiled,
 * with GDAL's overviews, a hole of no-data) is shown with the Hillshade style of its layer. The
 * screen's grey at 1:1 is held against `gdaldem hillshade -compute_edges` of the same DEM (8-bit
 * shade within 2 levels, the outer row and column left out), and across the tile boundaries of
 * levels 0, 1 and 2 against gdaldem of the level GDAL wrote (no seam: a tile's edge pixels are
 * shaded from its neighbours' samples).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dropFiles, expect, frames, setView, shoot, test, waitForLayers, waitForSharp, type Shot } from '../helpers'
import { addOverviews, gdal, gdalRaster, gdalRead, requireGdal, type Grid } from '../../helpers/gdal'

const WIDTH = 1400
const HEIGHT = 1200
const TILE = 256
const NO_DATA = -9999
const PIXEL = 10

/** Hills and valleys in metres, a no-data pond around (700, 300). */
function dem(): Grid {
  const data = new Float32Array(WIDTH * HEIGHT)
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const pond = (x - 700) ** 2 + (y - 300) ** 2 < 15 ** 2
      data[y * WIDTH + x] = pond ? NO_DATA : 800 + 300 * Math.sin(x / 37) * Math.cos(y / 29) + 80 * Math.sin((x + 2 * y) / 11) - 0.2 * y
    }
  }
  return { width: WIDTH, height: HEIGHT, bands: 1, type: 'float32', data }
}

interface Figures {
  compared: number
  /** Pixels whose red, green and blue differ (a shade is grey). */
  notGrey: number
  within2: number
  maxDiff: number
}

/**
 * Screen grey against gdaldem's shade of level `level` (`shade`: that level's gdaldem output) for
 * the level pixels `pick` selects: on screen, at least 2 px inside it, not on the level's outer
 * row or column, not no data. The view is such that a level pixel is one screen pixel.
 */
function compareLevel(shot: Shot, shade: Grid, level: number, pick: (x: number, y: number) => boolean): Figures {
  const f = 2 ** level
  let compared = 0
  let within2 = 0
  let maxDiff = 0
  let notGrey = 0
  for (let y = 1; y < shade.height - 1; y++) {
    for (let x = 1; x < shade.width - 1; x++) {
      if (!pick(x, y)) continue
      const g = shade.data[y * shade.width + x]!
      if (g === 0) continue // no data in gdaldem: transparent here
      const sx = (x + 0.5) * f - 0.5
      const sy = (y + 0.5) * f - 0.5
      const screenX = (sx + 0.5 - shot.view.centerX) * shot.view.zoom + shot.view.width / 2
      const screenY = (sy + 0.5 - shot.view.centerY) * shot.view.zoom + shot.view.height / 2
      if (screenX < 2 || screenY < 2 || screenX > shot.width - 3 || screenY > shot.height - 3) continue
      const [r, gr, b] = shot.image(sx, sy)
      if (r !== gr || gr !== b) notGrey++
      const d = Math.abs(r - g)
      maxDiff = Math.max(maxDiff, d)
      if (d <= 2) within2++
      compared++
    }
  }
  return { compared, notGrey, within2, maxDiff }
}

test.describe('hillshade in a browser', () => {
  let dir = ''
  let tif = ''
  /** gdaldem's shade of level 0, 1, 2 (GDAL's own overviews for 1 and 2). */
  const shades: Grid[] = []
  test.beforeAll(async () => {
    requireGdal()
    dir = mkdtempSync(join(tmpdir(), 'tessera-hillshade-'))
    tif = await gdalRaster(dir, 'dem', dem(), ['-of', 'GTiff', '-co', 'TILED=YES', '-co', 'COMPRESS=DEFLATE'], {
      geoTransform: [400000, PIXEL, 0, 5500000, 0, -PIXEL],
      srs: 'EPSG:32631',
      noData: NO_DATA
    })
    await addOverviews(tif, [2, 4, 8])
    for (let level = 0; level <= 2; level++) {
      const source = level === 0 ? tif : join(dir, `dem-level${level}.tif`)
      if (level > 0) await gdal('gdal_translate', ['-q', '-oo', `OVERVIEW_LEVEL=${level - 1}`, tif, source])
      const out = join(dir, `shade-level${level}.tif`)
      await gdal('gdaldem', ['hillshade', '-q', '-compute_edges', source, out])
      shades.push(await gdalRead(out, dir))
    }
  })
  test.afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test('the Hillshade style draws gdaldem hillshade: at 1:1 within 2 levels, and no seam across tiles at three zooms', async ({ viewer }) => {
    await dropFiles(viewer, [tif])
    await waitForLayers(viewer, 1)
    await viewer.getByTestId('display-style').selectOption('hillshade')
    await expect(viewer.getByTestId('hillshade-azimuth')).toBeVisible()

    // Level 0 at 1:1, centred on a corner of four tiles (the pond in view).
    await setView(viewer, { centerX: 2 * TILE, centerY: TILE, zoom: 1 })
    await waitForSharp(viewer)
    await frames(viewer, 3)
    const level0 = await shoot(viewer, 'browser-hillshade-level0')
    const all = compareLevel(level0, shades[0]!, 0, () => true)
    console.log(`hillshade level 0 against gdaldem: ${JSON.stringify(all)}, ${((100 * all.within2) / all.compared).toFixed(2)} % within 2`)
    expect(all.compared).toBeGreaterThan(200_000)
    expect(all.notGrey).toBe(0)
    expect(all.within2, JSON.stringify(all)).toBe(all.compared)

    // Across the tile boundaries of levels 0, 1 and 2: three pixels either side of every boundary in view.
    for (const level of [0, 1, 2]) {
      const f = 2 ** level
      const shade = shades[level]!
      // A corner of four tiles of the level at the centre (a level pixel = a screen pixel).
      const cornerX = Math.min(2, Math.floor((shade.width - 1) / TILE)) * TILE
      const cornerY = TILE
      await setView(viewer, { centerX: cornerX * f, centerY: cornerY * f, zoom: 1 / f })
      await waitForSharp(viewer)
      await frames(viewer, 3)
      const shot = level === 0 ? level0 : await shoot(viewer, `browser-hillshade-level${level}`)
      const nearBoundary = (v: number): boolean => v % TILE <= 2 || v % TILE >= TILE - 3
      const seams = compareLevel(shot, shade, level, (x, y) => nearBoundary(x) || nearBoundary(y))
      console.log(`hillshade level ${level} across tile edges: ${JSON.stringify(seams)}`)
      expect(seams.compared).toBeGreaterThan(1000)
      expect(seams.notGrey).toBe(0)
      expect(seams.within2, `level ${level}: ${JSON.stringify(seams)}`).toBe(seams.compared)
    }
  })
})
