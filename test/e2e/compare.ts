/**
 * Issue 23's comparison and export tools, shared by the browser and Electron specs, on the map-space
 * files (mapSpace.ts: an Int16 DEM in EPSG:32631 and an RGB "hillshade" of blue and red 50 m
 * blocks over part of it, each written by GDAL):
 * - the swipe: the hillshade (selected, on top) left of the divider, the DEM under it right, and
 *   again after the divider is dragged;
 * - the histogram dragged: the DEM's stretch is the dragged range, in integers (an Int16 band),
 *   and the picture follows it;
 * - `c`: tab-separated values (header; x, y, lat, lon; one column per visible layer) that match the
 *   files' values and GDAL's latitude/longitude;
 * - Ctrl+S: the PNG, its world file and its CRS, placed by `gdalinfo` where the view was, upright
 *   and turned a quarter.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Download, Page } from '@playwright/test'
import { SCREENSHOTS, expect, frames, shoot, waitForLayers, waitForSharp } from './helpers'
import type { RGB } from './images'
import { DEM, HILLSHADE, demValue, hillshadeColor, lookAt, type MapFiles } from './mapSpace'
import { gdal, gdalTransform } from '../helpers/gdal'

interface Globals {
  __tesseraDiagnostics: { worldView(): WorldView }
  __copied?: string[]
}
type WorldView = { centerX: number; centerY: number; zoom: number; width: number; height: number }

const worldView = (page: Page): Promise<WorldView> => page.evaluate(() => (globalThis as unknown as Globals).__tesseraDiagnostics.worldView())
/** Screen point of a map point. */
const toScreen = (v: WorldView, x: number, y: number): { x: number; y: number } => ({ x: (x - v.centerX) * v.zoom + v.width / 2, y: (-y - v.centerY) * v.zoom + v.height / 2 })
/** Map point of a screen point. */
const toMap = (v: WorldView, sx: number, sy: number): { x: number; y: number } => ({ x: (sx - v.width / 2) / v.zoom + v.centerX, y: -((sy - v.height / 2) / v.zoom + v.centerY) })

const isGrey = ([r, g, b]: RGB): boolean => Math.abs(r - g) <= 3 && Math.abs(g - b) <= 3
const near = (a: RGB, b: RGB, tolerance: number): boolean => a.every((v, i) => Math.abs(v - b[i]!) <= tolerance)

/** The screen point of the centre of the hillshade's 50 m block nearest to screen x, on the view's middle row. */
function blockCentreNear(v: WorldView, sx: number): { x: number; y: number; col: number; row: number } {
  const p = toMap(v, sx, v.height / 2)
  const block = 50
  const bx = HILLSHADE.left + (Math.floor((p.x - HILLSHADE.left) / block) + 0.5) * block
  const by = HILLSHADE.top - (Math.floor((HILLSHADE.top - p.y) / block) + 0.5) * block
  const s = toScreen(v, bx, by)
  return { ...s, col: Math.floor((bx - HILLSHADE.left) / HILLSHADE.pixel), row: Math.floor((HILLSHADE.top - by) / HILLSHADE.pixel) }
}

/** Opens the DEM and the hillshade over it, and looks inside the hillshade (it covers the whole view). */
export async function openCompareFiles(page: Page, drop: (paths: string[]) => Promise<void>, files: MapFiles): Promise<WorldView> {
  await drop([files.dem, files.hillshade])
  await waitForLayers(page, 2)
  const size = await worldView(page)
  await lookAt(page, HILLSHADE.left + 250.3, HILLSHADE.top - 250.3, Math.max(size.width, size.height) / 420)
  await waitForSharp(page)
  return worldView(page)
}

/** The swipe: left of the divider the hillshade, right the DEM; dragged, the divider moves the edge. */
export async function expectSwipe(page: Page, prefix: string): Promise<void> {
  const view = await worldView(page)
  const stage = (await page.getByTestId('viewer').boundingBox())!
  // The hillshade is on top and selected: the swipe reveals the DEM under it.
  await page.getByTestId('layer').filter({ hasText: HILLSHADE.file }).getByTestId('layer-name').click()
  await expect(page.getByTestId('layer').filter({ hasText: HILLSHADE.file })).toHaveClass(/layer-selected/)
  const demGrey = async (x: number, y: number): Promise<RGB> => {
    const p = toMap(view, x, y)
    const value = demValue(Math.floor(p.x - DEM.left), Math.floor(DEM.top - p.y))
    const dem = page.getByTestId('layer').filter({ hasText: DEM.file })
    const min = Number(await dem.getByTestId('stretch-min-0').inputValue())
    const max = Number(await dem.getByTestId('stretch-max-0').inputValue())
    const g = Math.round(Math.min(1, Math.max(0, (value - min) / (max - min))) * 255)
    return [g, g, g]
  }
  const before = await shoot(page, `${prefix}-swipe-off`)
  const left = blockCentreNear(view, view.width * 0.3)
  const right = blockCentreNear(view, view.width * 0.75)
  expect(near(before.at(right.x, right.y), hillshadeColor(right.col, right.row), 8), 'without the swipe the hillshade covers the view').toBe(true)

  await page.keyboard.press('w')
  await expect(page.getByTestId('swipe-divider')).toBeVisible()
  await expect(page.getByTestId('toolbar-swipe')).toHaveAttribute('aria-pressed', 'true')
  await waitForSharp(page)
  await frames(page, 2)
  const half = await shoot(page, `${prefix}-swipe-half`)
  expect(near(half.at(left.x, left.y), hillshadeColor(left.col, left.row), 8), `left of the divider (${left.x.toFixed(0)}, ${left.y.toFixed(0)}): the hillshade, ${half.at(left.x, left.y)}`).toBe(true)
  const rightColour = half.at(right.x, right.y)
  expect(isGrey(rightColour), `right of the divider: the DEM in grey, ${rightColour}`).toBe(true)
  expect(near(rightColour, await demGrey(right.x, right.y), 3), `right of the divider: the DEM's value stretched, ${rightColour}`).toBe(true)
  // The edge is at the divider: a pixel either side of the middle.
  const mid = Math.round(view.width / 2)
  const y = left.y
  expect(isGrey(half.at(mid - 3, y)), 'just left of the divider is not the DEM').toBe(false)

  // Dragged to a fifth of the width: the hillshade only left of it.
  const handle = (await page.getByTestId('swipe-divider').boundingBox())!
  await page.mouse.move(handle.x + handle.width / 2, stage.y + view.height / 2)
  await page.mouse.down()
  for (const share of [0.45, 0.35, 0.25, 0.2]) await page.mouse.move(stage.x + view.width * share, stage.y + view.height / 2 + 10)
  await page.mouse.up()
  const position = Number(await page.getByTestId('swipe-divider').getAttribute('data-position'))
  expect(Math.abs(position - 0.2)).toBeLessThan(0.01)
  expect((await worldView(page)).centerX, 'dragging the divider does not pan').toBe(view.centerX)
  await waitForSharp(page)
  await frames(page, 2)
  const dragged = await shoot(page, `${prefix}-swipe-dragged`)
  const farLeft = blockCentreNear(view, view.width * 0.08)
  expect(near(dragged.at(farLeft.x, farLeft.y), hillshadeColor(farLeft.col, farLeft.row), 8), 'left of the dragged divider: the hillshade').toBe(true)
  const nowRight = dragged.at(left.x, left.y)
  expect(near(nowRight, await demGrey(left.x, left.y), 3), `what was left of the divider is right of it now: the DEM, ${nowRight}`).toBe(true)

  await page.getByTestId('toolbar-swipe').click()
  await expect(page.getByTestId('swipe-divider')).toBeHidden()
  await waitForSharp(page)
  await frames(page, 2)
  const off = await shoot(page, `${prefix}-swipe-off-again`)
  expect(near(off.at(left.x, left.y), hillshadeColor(left.col, left.row), 8), 'the swipe off: the hillshade whole again').toBe(true)
}

/** Dragging across the DEM's histogram sets its stretch, in whole numbers, and the picture follows. */
export async function expectHistogramDrag(page: Page, prefix: string): Promise<void> {
  const dem = page.getByTestId('layer').filter({ hasText: DEM.file })
  const axis = dem.getByTestId('stretch-axis-0')
  await axis.scrollIntoViewIfNeeded()
  const [axisMin, axisMax] = (await dem.locator('.stretch-axis-labels span').allInnerTexts()).map(Number) as [number, number]
  expect(axisMin).toBe(0)
  expect(axisMax).toBe(DEM.width - 1 + 2 * (DEM.height - 1))
  const box = (await axis.boundingBox())!
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2)
  await page.mouse.down()
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2)
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2)
  await page.mouse.up()
  const minText = await dem.getByTestId('stretch-min-0').inputValue()
  const maxText = await dem.getByTestId('stretch-max-0').inputValue()
  expect(minText).toMatch(/^\d+$/)
  expect(maxText).toMatch(/^\d+$/)
  const min = Number(minText)
  const max = Number(maxText)
  expect(Math.abs(min - 0.2 * axisMax)).toBeLessThanOrEqual(2)
  expect(Math.abs(max - 0.6 * axisMax)).toBeLessThanOrEqual(2)
  await expect(axis).toHaveAttribute('data-range', `${min},${max}`)
  await expect(dem.getByTestId('stretch-preset-0')).toHaveValue('')
  // The picture: a DEM pixel outside the hillshade, grey by the new range.
  const col = 900
  const row = 150
  await lookAt(page, DEM.left + col + 0.5, DEM.top - row - 0.5, 4)
  await waitForSharp(page)
  await frames(page, 2)
  const shot = await shoot(page, `${prefix}-histogram-dragged`)
  const v = await worldView(page)
  const g = Math.round(Math.min(1, Math.max(0, (demValue(col, row) - min) / (max - min))) * 255)
  const seen = shot.at(v.width / 2, v.height / 2)
  expect(near(seen, [g, g, g], 3), `DEM ${demValue(col, row)} stretched ${min}–${max}: grey ${g}, seen ${seen}`).toBe(true)
}

/** `c` copies a header and a row of tab-separated values: x, y, lat, lon, the hillshade's and the DEM's values. */
export async function expectCopiedTable(page: Page, view: WorldView): Promise<void> {
  // Over the hillshade's west edge: the DEM shows beside it, so it is drawn (and read) at full resolution under it too.
  await lookAt(page, HILLSHADE.left + 20.3, HILLSHADE.top - 250.3, view.zoom)
  await waitForSharp(page)
  view = await worldView(page)
  await page.evaluate(() => {
    const g = globalThis as unknown as Globals & { navigator: Navigator }
    g.__copied = []
    Object.defineProperty(g.navigator, 'clipboard', { configurable: true, value: { writeText: async (text: string) => void g.__copied!.push(text) } })
  })
  const stage = (await page.getByTestId('viewer').boundingBox())!
  // The centre of a DEM pixel (2 screen pixels wide or more here): the cursor is in one pixel of each layer.
  const near40 = toMap(view, view.width / 2 + 60 * view.zoom, view.height * 0.6)
  const at = toScreen(view, Math.floor(near40.x) + 0.5, Math.floor(near40.y) + 0.5)
  await page.mouse.move(stage.x + at.x, stage.y + at.y)
  await frames(page, 2)
  await page.keyboard.press('c')
  await expect(page.getByTestId('toast')).toContainText('Copied:')
  const copied = await page.evaluate(() => (globalThis as unknown as Globals).__copied ?? [])
  expect(copied).toHaveLength(1)
  const [header, row, rest] = copied[0]!.split('\n')
  expect(rest).toBe('')
  expect(header!.split('\t')).toEqual(['x', 'y', 'lat', 'lon', HILLSHADE.file, DEM.file])
  const cells = row!.split('\t')
  const x = Number(cells[0])
  const y = Number(cells[1])
  const expected = toMap(view, at.x, at.y)
  expect(Math.abs(x - expected.x)).toBeLessThanOrEqual(1 / view.zoom)
  expect(Math.abs(y - expected.y)).toBeLessThanOrEqual(1 / view.zoom)
  const [[lon, lat]] = await gdalTransform(['-s_srs', 'EPSG:32631', '-t_srs', 'EPSG:4326'], [[x, y]])
  expect(Math.abs(Number(cells[2]) - lat!)).toBeLessThan(1e-7)
  expect(Math.abs(Number(cells[3]) - lon!)).toBeLessThan(1e-7)
  const hCol = Math.floor((x - HILLSHADE.left) / HILLSHADE.pixel)
  const hRow = Math.floor((HILLSHADE.top - y) / HILLSHADE.pixel)
  expect(cells[4]).toBe(hillshadeColor(hCol, hRow).join(' '))
  expect(cells[5]).toBe(String(demValue(Math.floor(x - DEM.left), Math.floor(DEM.top - y))))
}

/** Ctrl+S: the PNG and its side-cars, downloaded; gdalinfo places the PNG where the view was (within a pixel). */
export async function expectGeoreferencedExport(page: Page, prefix: string, turned: boolean): Promise<{ view: WorldView; corners: Record<string, [number, number]> }> {
  const dir = join(SCREENSHOTS, `${prefix}-export${turned ? '-turned' : ''}`)
  mkdirSync(dir, { recursive: true })
  if (turned) {
    await page.keyboard.press('r')
    await expect(page.getByTestId('canvas-host')).toHaveAttribute('data-rotation', '90')
  }
  await waitForSharp(page)
  await frames(page, 2)
  const view = await worldView(page)
  const downloads: Download[] = []
  page.on('download', (d) => void downloads.push(d))
  await page.keyboard.press('Control+s')
  await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(4)
  const names = downloads.map((d) => d.suggestedFilename()).sort()
  const png = names.find((n) => n.endsWith('.png'))!
  const stem = png.replace(/\.png$/, '')
  expect(names).toEqual([`${stem}.pgw`, `${stem}.png`, `${stem}.png.aux.xml`, `${stem}.prj`].sort())
  for (const d of downloads) await d.saveAs(join(dir, d.suggestedFilename()))
  const info = JSON.parse(await gdal('gdalinfo', ['-json', join(dir, png)])) as {
    size: [number, number]
    cornerCoordinates: Record<'upperLeft' | 'upperRight' | 'lowerLeft' | 'lowerRight', [number, number]>
    coordinateSystem?: { wkt: string }
  }
  expect(info.size).toEqual(turned ? [view.height, view.width] : [view.width, view.height])
  expect(info.coordinateSystem?.wkt ?? '').toContain('UTM zone 31N')
  expect((await gdal('gdalsrsinfo', ['-o', 'epsg', join(dir, `${stem}.prj`)])).trim()).toContain('EPSG:32631')
  const left = view.centerX - view.width / 2 / view.zoom
  const right = view.centerX + view.width / 2 / view.zoom
  const top = -(view.centerY - view.height / 2 / view.zoom)
  const bottom = -(view.centerY + view.height / 2 / view.zoom)
  // Upright: the picture's corners are the view's. Turned a quarter clockwise: its top-left is the view's bottom-left.
  const expected: Record<string, [number, number]> = turned
    ? { upperLeft: [left, bottom], upperRight: [left, top], lowerRight: [right, top], lowerLeft: [right, bottom] }
    : { upperLeft: [left, top], upperRight: [right, top], lowerRight: [right, bottom], lowerLeft: [left, bottom] }
  const pixel = 1 / view.zoom
  for (const [corner, [ex, ey]] of Object.entries(expected)) {
    const [gx, gy] = info.cornerCoordinates[corner as keyof typeof info.cornerCoordinates]
    expect(Math.abs(gx - ex), `${corner} x: gdalinfo ${gx}, view ${ex}`).toBeLessThanOrEqual(pixel)
    expect(Math.abs(gy - ey), `${corner} y: gdalinfo ${gy}, view ${ey}`).toBeLessThanOrEqual(pixel)
  }
  writeFileSync(join(dir, 'corners.json'), JSON.stringify({ view, expected, gdalinfo: info.cornerCoordinates }, null, 2))
  if (turned) {
    await page.keyboard.press('Shift+R')
    await expect(page.getByTestId('canvas-host')).toHaveAttribute('data-rotation', '0')
  }
  return { view, corners: info.cornerCoordinates }
}
