/**
 * The class legend of a paletted layer (issue 23), end to end: a land cover written by GDAL
 * (`test/helpers/landCover.ts`: six classes used, a 256-entry colour table, an attribute table in
 * its `.aux.xml`, no-data along the top) lists its six classes in the layer's panel — not the 256
 * entries, not the two classes defined and unused, not no-data — each with its value, its colour as
 * `gdalinfo` gives it and its name; unticking a class makes its pixels transparent on screen (the
 * checkerboard shows through, as it does through no-data), All and None show and hide every class.
 */
import type { Page } from '@playwright/test'
import { expect, expectColor, frames, setView, shoot, waitForSharp, type Shot } from './helpers'
import { gdalInfo, gdalRaster } from '../helpers/gdal'
import { NO_DATA_ROWS, USED_CLASSES, landCover } from '../helpers/landCover'

type RGB = [number, number, number]

export const LEGEND_COVER = { width: 300, height: 200 }
const STRIPE = Math.ceil(LEGEND_COVER.width / USED_CLASSES.length)

/** Writes the land cover (tiled, deflate) in `dir`; the `.aux.xml` with its attribute table lies beside it. */
export async function writeLegendCover(dir: string): Promise<string> {
  const { grid, source } = landCover(LEGEND_COVER.width, LEGEND_COVER.height)
  return gdalRaster(dir, 'legend-landcover', grid, ['-co', 'TILED=YES', '-co', 'COMPRESS=DEFLATE'], source)
}

/** Screen colours of the image pixels of class stripe `index` (below the no-data rows), a sample of them. */
function stripeColours(shot: Shot, index: number): RGB[] {
  const colours: RGB[] = []
  for (let y = NO_DATA_ROWS + 3; y < LEGEND_COVER.height - 3; y += 7) for (let x = index * STRIPE + 3; x < (index + 1) * STRIPE - 3; x += 2) colours.push(shot.image(x, y) as RGB)
  return colours
}

/** The colours that show through a transparent pixel here: those of the no-data rows (the checkerboard). */
function checkerColours(shot: Shot): RGB[] {
  const seen = new Map<string, RGB>()
  for (let y = 1; y < NO_DATA_ROWS - 1; y++) for (let x = 1; x < LEGEND_COVER.width - 1; x++) {
    const c = shot.image(x, y) as RGB
    seen.set(c.join(','), c)
  }
  return [...seen.values()]
}

const near = (a: RGB, b: readonly number[], tolerance = 3): boolean => a.every((v, i) => Math.abs(v - b[i]!) <= tolerance)

function expectStripeDrawn(shot: Shot, index: number): void {
  const colour = USED_CLASSES[index]!.colour
  for (const c of stripeColours(shot, index)) expectColor(c, [colour[0], colour[1], colour[2]], `class ${USED_CLASSES[index]!.value} drawn`, 2)
}

function expectStripeTransparent(shot: Shot, index: number, checker: RGB[]): void {
  const colour = USED_CLASSES[index]!.colour
  const colours = stripeColours(shot, index)
  const off = colours.filter((c) => near(c, colour) || !checker.some((k) => near(c, k)))
  expect(off, `class ${USED_CLASSES[index]!.value} hidden: only the checkerboard (${checker.map((k) => k.join(',')).join(' / ')}) shows there`).toEqual([])
}

/** A screenshot once the layer's tiles are drawn again after a change in its legend. */
async function settled(page: Page, name: string): Promise<Shot> {
  await frames(page, 3)
  await waitForSharp(page)
  return shoot(page, name)
}

/** The legend's rows and note, then hiding and showing classes on screen; `path` is open as the only layer. */
export async function expectClassLegend(page: Page, path: string, shotName: string): Promise<void> {
  const table = (await gdalInfo(path)).bands[0]!.colorTable!
  expect(table.count, 'GDAL wrote a 256-entry colour table').toBe(256)
  await setView(page, { centerX: LEGEND_COVER.width / 2, centerY: LEGEND_COVER.height / 2, zoom: 2 })
  await waitForSharp(page)

  const legend = page.getByTestId('class-legend')
  await expect(legend).toBeVisible()
  const rows = legend.getByTestId('class-row')
  await expect(rows, 'one row per class the pixels use').toHaveCount(USED_CLASSES.length)
  await expect(rows.getByTestId('class-value')).toHaveText(USED_CLASSES.map((c) => String(c.value)))
  await expect(rows.getByTestId('class-name')).toHaveText(USED_CLASSES.map((c) => c.name ?? ''))
  for (const [i, c] of USED_CLASSES.entries()) {
    const [r, g, b] = table.entries[c.value]!
    await expect(rows.nth(i).getByTestId('class-swatch'), `class ${c.value}'s swatch in gdalinfo's colour`).toHaveCSS('background-color', `rgb(${r}, ${g}, ${b})`)
  }
  await expect(legend.getByTestId('class-legend-note')).toHaveText('6 classes in the data (every pixel counted), of 256 palette entries')

  const before = await shoot(page, `${shotName}-all`)
  const checker = checkerColours(before)
  expect(checker.length, 'the no-data rows show the checkerboard').toBeGreaterThan(0)
  USED_CLASSES.forEach((_, i) => expectStripeDrawn(before, i))

  // Shrub/Scrub unticked: its pixels transparent, every other class as it was.
  const shrub = USED_CLASSES.findIndex((c) => c.value === 52)
  await legend.getByRole('checkbox', { name: 'Show class Shrub/Scrub' }).uncheck()
  const hidden = await settled(page, `${shotName}-without-shrub`)
  expectStripeTransparent(hidden, shrub, checker)
  USED_CLASSES.forEach((_, i) => i !== shrub && expectStripeDrawn(hidden, i))
  // Hidden, not gone: the readout still names the class under the cursor, as QGIS's identify does.
  const [x, y] = [shrub * STRIPE + STRIPE / 2, LEGEND_COVER.height / 2]
  const box = (await page.getByTestId('viewer').boundingBox())!
  const view = hidden.view
  await page.mouse.move(box.x + (x + 0.5 - view.centerX) * view.zoom + view.width / 2, box.y + (y + 0.5 - view.centerY) * view.zoom + view.height / 2)
  await expect(page.getByTestId('status-position')).toHaveText(`x ${x}  y ${y}`)
  await expect(page.getByTestId('status-class')).toHaveText('Shrub/Scrub')

  // An unnamed class is ticked by its value.
  const crops = USED_CLASSES.findIndex((c) => c.value === 82)
  await legend.getByRole('checkbox', { name: 'Show class 82' }).uncheck()
  expectStripeTransparent(await settled(page, `${shotName}-without-crops`), crops, checker)

  await legend.getByTestId('class-legend-all').click()
  await expect(rows.getByRole('checkbox')).toHaveCount(USED_CLASSES.length)
  for (const box of await rows.getByRole('checkbox').all()) await expect(box).toBeChecked()
  const all = await settled(page, `${shotName}-all-again`)
  USED_CLASSES.forEach((_, i) => expectStripeDrawn(all, i))

  await legend.getByTestId('class-legend-none').click()
  for (const box of await rows.getByRole('checkbox').all()) await expect(box).not.toBeChecked()
  const none = await settled(page, `${shotName}-none`)
  USED_CLASSES.forEach((_, i) => expectStripeTransparent(none, i, checker))
}

