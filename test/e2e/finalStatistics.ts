/**
 * Issue 23 end to end: a value raster opens with provisional statistics and its stretch follows
 * the whole raster's when they come (`info-update`), unless the person set the stretch first.
 *
 * The DEM (5000 × 4000 Float32, GDAL's default strips of one row, LZW with a predictor) holds a
 * plateau at 9000 m on some rows in its middle: rows the whole-raster pass reads (every 5th: its
 * strided sample of a raster above 4 Mpx) and the provisional one does not (52 strips spread over
 * it, `spreadBlocks` in `decode/probe.ts`). So the stretch opens within the relief (< 4000 m) and
 * then reaches 9000 m: about a fifth of the rows read by the final pass are at 9000, above its 98th
 * percentile. Its final statistics come after its exact overview (seconds after the open), so the
 * provisional ones are on screen long enough to be read and set.
 */
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { dropFiles, expect, waitForLayers } from './helpers'
import { translate, writeSource } from '../helpers/gdal'

const WIDTH = 5000
const HEIGHT = 4000
export const PLATEAU = 9000
/** Rows the provisional statistics read: one-row strips spread evenly (as `spreadBlocks` picks them). */
const PROVISIONAL_ROWS = new Set(Array.from({ length: Math.floor(262_144 / WIDTH) }, (_, i) => Math.floor(((i + 0.5) * HEIGHT) / Math.floor(262_144 / WIDTH))))

/** Whether pixel (x, y) is on the plateau: a block of the middle, on rows of the final pass only. */
function onPlateau(x: number, y: number): boolean {
  return x >= 1000 && x < 3000 && y >= 1000 && y < 3000 && y % 5 === 0 && !PROVISIONAL_ROWS.has(y)
}

/** Writes the DEM (GDAL: strips of one row, LZW, PREDICTOR=2) in `dir`; its path. */
export async function demWithHiddenPlateau(dir: string): Promise<string> {
  const data = new Float32Array(WIDTH * HEIGHT)
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) data[y * WIDTH + x] = onPlateau(x, y) ? PLATEAU : 1800 + 1500 * Math.sin(x / 97) * Math.cos(y / 71) - (1600 * y) / HEIGHT
  }
  const source = writeSource(dir, 'plateau', { width: WIDTH, height: HEIGHT, bands: 1, type: 'float32', data }, { geoTransform: [500000, 5, 0, 5600000, 0, -5], srs: 'EPSG:32631' })
  return translate(source, join(dir, 'plateau-dem.tif'), ['-co', 'COMPRESS=LZW', '-co', 'PREDICTOR=2', '-co', 'BLOCKYSIZE=1'])
}

/** The stretch of the layer's band 1: its fields and the statistics' max on its value axis. */
function stretchOf(page: Page): { min: Locator; max: Locator; maxMark: Locator } {
  const layer = page.getByTestId('layer')
  return { min: layer.getByTestId('stretch-min-0'), max: layer.getByTestId('stretch-max-0'), maxMark: layer.getByTestId('stretch-axis-0').locator('[data-mark="max"]') }
}

/** The value of a mark's title ("max: 3312.5"). */
async function markValue(mark: Locator): Promise<number> {
  return Number((await mark.getAttribute('title'))!.replace(/^[^:]*:\s*/, '').replace(/,/g, ''))
}

/** Drops the DEM and waits for its layer: the stretch shown is the provisional one (checked). */
async function openProvisional(page: Page, path: string): Promise<ReturnType<typeof stretchOf>> {
  await dropFiles(page, [path])
  await waitForLayers(page, 1)
  const stretch = stretchOf(page)
  await expect(stretch.maxMark).toHaveCount(1)
  expect(await markValue(stretch.maxMark), 'the provisional statistics miss the plateau (the test needs it)').toBeLessThan(4000)
  expect(Number(await stretch.max.inputValue())).toBeLessThan(4000)
  return stretch
}

/** The stretch follows the whole raster's statistics: the fields and the axis reach the plateau. */
export async function stretchFollowsFinalStatistics(page: Page, path: string): Promise<void> {
  const stretch = await openProvisional(page, path)
  await expect.poll(() => markValue(stretch.maxMark), { timeout: 60_000, message: 'the final statistics reach the plateau' }).toBe(PLATEAU)
  await expect.poll(async () => Number(await stretch.max.inputValue()), { message: 'the 98th percentile is on the plateau' }).toBe(PLATEAU)
  await page.getByTestId('viewer').screenshot({ path: 'test-results/screenshots/browser-final-statistics-followed.png' })
}

/** A stretch the person set before the final statistics came stays: the axis shows them, the fields keep theirs. */
export async function setStretchIsKept(page: Page, path: string): Promise<void> {
  const stretch = await openProvisional(page, path)
  await stretch.min.fill('500')
  await stretch.min.press('Enter')
  await stretch.max.fill('2500')
  await stretch.max.press('Enter')
  expect(await markValue(stretch.maxMark), 'set before the final statistics came').toBeLessThan(4000)
  await expect.poll(() => markValue(stretch.maxMark), { timeout: 60_000, message: 'the final statistics came' }).toBe(PLATEAU)
  await expect(stretch.min).toHaveValue('500')
  await expect(stretch.max).toHaveValue('2500')
  await page.getByTestId('viewer').screenshot({ path: 'test-results/screenshots/browser-final-statistics-kept.png' })
}
