/**
 * Issue 21 end to end, shared by the browser and the Electron specs: a CRS is a definition, not
 * only a code, and the view's CRS is chosen, not stumbled into. Files written by GDAL from the
 * map-space hillshade (test/e2e/mapSpace.ts: 5 m blue and red blocks, EPSG:32631):
 * - the same grid with UTM 31N given by its parameters (GDAL writes user-defined GeoTIFF keys);
 * - warped by gdalwarp to EPSG:4326, and to a transverse Mercator of no EPSG code;
 * - the same grid with no CRS at all (for Set CRS…).
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import sharp from 'sharp'
import { gdal } from '../helpers/gdal'
import { expect, shoot, waitForLayers, waitForSharp } from './helpers'
import { HILLSHADE, hillshadeColor, writeMapFiles, type MapFiles } from './mapSpace'
import type { RGB } from './images'

/** UTM zone 31N on WGS 84, spelled by its parameters: the CRS of EPSG:32631 without its code. */
export const UTM31N_BY_PARAMETERS = '+proj=tmerc +lat_0=0 +lon_0=3 +k=0.9996 +x_0=500000 +y_0=0 +ellps=WGS84 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs'
/** A transverse Mercator no EPSG code names (a local grid). */
export const LOCAL_TM = '+proj=tmerc +lat_0=50 +lon_0=3.3 +k=1 +x_0=20000 +y_0=10000 +ellps=GRS80 +units=m +no_defs'

export interface CrsFiles extends MapFiles {
  /** The hillshade with its CRS by parameters. */
  byParameters: string
  /** The hillshade warped to EPSG:4326. */
  geographic: string
  /** The hillshade warped to LOCAL_TM. */
  localTm: string
  /** The hillshade's grid and geotransform, no CRS. */
  noCrs: string
}

/** Writes the files into `dir` (once). */
export async function writeCrsFiles(dir: string): Promise<CrsFiles> {
  const map = await writeMapFiles(dir)
  const files: CrsFiles = {
    ...map,
    byParameters: join(dir, 'hillshade-utm-by-parameters.tif'),
    geographic: join(dir, 'hillshade-4326.tif'),
    localTm: join(dir, 'hillshade-local-tm.tif'),
    noCrs: join(dir, 'hillshade-no-crs.tif')
  }
  if (!existsSync(files.byParameters)) await gdal('gdal_translate', ['-q', '-a_srs', UTM31N_BY_PARAMETERS, '-co', 'TILED=YES', map.hillshade, files.byParameters])
  if (!existsSync(files.geographic)) await gdal('gdalwarp', ['-q', '-t_srs', 'EPSG:4326', '-dstalpha', '-co', 'TILED=YES', '-of', 'GTiff', map.hillshade, files.geographic])
  if (!existsSync(files.localTm)) await gdal('gdalwarp', ['-q', '-t_srs', LOCAL_TM, '-tr', '2', '2', '-dstalpha', '-co', 'TILED=YES', '-of', 'GTiff', map.hillshade, files.localTm])
  if (!existsSync(files.noCrs)) {
    // Through PNG, which keeps no CRS (nor a .aux.xml beside it: PAM off); the geotransform given again.
    const png = join(dir, 'hillshade-no-crs.png')
    const noPam = ['--config', 'GDAL_PAM_ENABLED', 'NO']
    await gdal('gdal_translate', ['-q', ...noPam, '-of', 'PNG', map.hillshade, png])
    const right = HILLSHADE.left + HILLSHADE.width * HILLSHADE.pixel
    const bottom = HILLSHADE.top - HILLSHADE.height * HILLSHADE.pixel
    await gdal('gdal_translate', ['-q', ...noPam, '-of', 'GTiff', '-co', 'TILED=YES', '-a_ullr', String(HILLSHADE.left), String(HILLSHADE.top), String(right), String(bottom), png, files.noCrs])
  }
  return files
}

interface CrsGlobals {
  __tesseraDiagnostics: {
    layers(): string[]
    layerToScreen(rasterId: string, x: number, y: number): { x: number; y: number } | null
    worldView(): { centerX: number; centerY: number; zoom: number; width: number; height: number }
  }
}

function layerIds(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as CrsGlobals).__tesseraDiagnostics.layers())
}

function layerToScreen(page: Page, rasterId: string, x: number, y: number): Promise<{ x: number; y: number } | null> {
  return page.evaluate(([id, px, py]) => (globalThis as unknown as CrsGlobals).__tesseraDiagnostics.layerToScreen(id as string, px as number, py as number), [rasterId, x, y] as const)
}

function row(page: Page, file: string) {
  return page.getByTestId('layer').filter({ hasText: file })
}

function fileName(path: string): string {
  return path.split('/').pop()!
}

type Kind = 'blue' | 'red' | 'other'
function kindOf([r, , b]: RGB): Kind {
  if (b > 150 && r < 100) return 'blue'
  if (r > 150 && b < 100) return 'red'
  return 'other'
}

/** Where gdaltransform puts map point (x, y) of EPSG:32631 in `to`. */
function gdalTransform(x: number, y: number, to: string): { x: number; y: number } {
  const out = execFileSync('gdaltransform', ['-s_srs', 'EPSG:32631', '-t_srs', to, '-output_xy'], { input: `${x} ${y}\n` }).toString().trim().split(/\s+/)
  return { x: Number(out[0]), y: Number(out[1]) }
}

/**
 * Two layers of one place, one with an EPSG code and one with the same CRS by its parameters:
 * one CRS (no note, no warning), and the same ground point on the same screen pixel.
 */
export async function expectOneCrsTwoSpellings(page: Page, drop: (paths: string[]) => Promise<void>, files: CrsFiles, prefix: string): Promise<void> {
  await drop([files.hillshade])
  await waitForLayers(page, 1)
  await drop([files.byParameters])
  await waitForLayers(page, 2)
  await expect(row(page, fileName(files.byParameters)).getByTestId('layer-placement')).toHaveCount(0)
  await expect(page.getByTestId('status-crs')).toBeHidden() // one CRS: nothing to pick
  const [epsgLayer, parametersLayer] = await layerIds(page)
  for (const [x, y] of [[0, 0], [50, 50], [100, 100], [13.5, 87.25]] as const) {
    const a = (await layerToScreen(page, epsgLayer!, x, y))!
    const b = (await layerToScreen(page, parametersLayer!, x, y))!
    expect(Math.hypot(a.x - b.x, a.y - b.y), `hillshade pixel ${x},${y}`).toBeLessThan(0.01)
  }
  await waitForSharp(page)
  await shoot(page, `${prefix}-crs-two-spellings`)
}

/**
 * A CRS by parameters of no EPSG code beside an EPSG:4326 layer: reprojected on the fly (its note
 * names it), its blocks where GDAL puts their ground points in EPSG:4326.
 */
export async function expectParametersBesideGeographic(page: Page, drop: (paths: string[]) => Promise<void>, files: CrsFiles, prefix: string): Promise<void> {
  await drop([files.geographic])
  await waitForLayers(page, 1)
  await drop([files.localTm])
  await waitForLayers(page, 2)
  await expect(row(page, fileName(files.localTm)).getByTestId('layer-placement')).toContainText("reprojected on the fly to the view's EPSG:4326")
  await expect(row(page, fileName(files.localTm)).getByTestId('layer-placement')).not.toContainText('⚠')
  // Only the local grid shown: its blocks on their ground.
  await page.getByLabel(`Show ${fileName(files.geographic)}`).uncheck()
  await page.getByTestId('viewer').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('0')
  await waitForSharp(page)
  const shot = await shoot(page, `${prefix}-crs-local-tm-in-4326`)
  const view = await page.evaluate(() => (globalThis as unknown as CrsGlobals).__tesseraDiagnostics.worldView())
  let checked = 0
  for (const [bi, bj] of [[1, 1], [2, 1], [1, 2], [4, 5], [6, 3], [8, 8]] as const) {
    const ground = gdalTransform(HILLSHADE.left + (bi + 0.5) * 10 * HILLSHADE.pixel, HILLSHADE.top - (bj + 0.5) * 10 * HILLSHADE.pixel, 'EPSG:4326')
    const p = { x: (ground.x - view.centerX) * view.zoom + view.width / 2, y: (-ground.y - view.centerY) * view.zoom + view.height / 2 }
    if (p.x < 0 || p.y < 0 || p.x >= shot.width || p.y >= shot.height) continue
    expect(kindOf(shot.at(p.x, p.y)), `block ${bi},${bj} of the local grid at ${p.x.toFixed(1)},${p.y.toFixed(1)}`).toBe(kindOf(hillshadeColor(bi * 10, bj * 10)))
    checked++
  }
  expect(checked, 'blocks on screen').toBeGreaterThanOrEqual(5)
}

/** A picture first, then a GeoTIFF: the view's CRS is the GeoTIFF's, and the picture says where it lies. */
export async function expectPictureThenGeoTiff(page: Page, drop: (paths: string[]) => Promise<void>, files: CrsFiles, prefix: string): Promise<void> {
  await drop([files.png])
  await waitForLayers(page, 1)
  await drop([files.dem])
  await waitForLayers(page, 2)
  await expect(row(page, 'plain.png').getByTestId('layer-placement')).toContainText('Not georeferenced')
  await expect(row(page, fileName(files.dem)).getByTestId('layer-placement')).toHaveCount(0)
  await page.getByTestId('viewer').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('0') // fits the DEM: the picture at the origin is left out
  await waitForSharp(page)
  const box = (await page.getByTestId('viewer').boundingBox())!
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  await expect(page.getByTestId('status-map')).toContainText('(EPSG:32631)')
  await expect(page.getByTestId('status-latlon')).toContainText('° N')
  await expect(page.getByTestId('status-scale')).toContainText('m')
  await shoot(page, `${prefix}-crs-picture-then-geotiff`)
}

/** Reordering keeps the view's CRS; picking another moves it, and every note follows. */
export async function expectReorderKeepsViewCrs(page: Page, drop: (paths: string[]) => Promise<void>, files: CrsFiles, prefix: string): Promise<void> {
  await drop([files.geographic])
  await waitForLayers(page, 1)
  await drop([files.hillshade])
  await waitForLayers(page, 2)
  const utmNote = row(page, fileName(files.hillshade)).getByTestId('layer-placement')
  await expect(utmNote).toHaveText("EPSG:32631 reprojected on the fly to the view's EPSG:4326")
  // The geographic layer to the top (it was at the bottom, and set the view).
  await row(page, fileName(files.geographic)).locator('.layer-name').click()
  await page.keyboard.press('Alt+ArrowUp')
  await expect(page.getByTestId('layer').first()).toContainText(fileName(files.geographic))
  const box = (await page.getByTestId('viewer').boundingBox())!
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  await expect(page.getByTestId('status-map')).toContainText('(EPSG:4326)')
  await expect(utmNote).toHaveText("EPSG:32631 reprojected on the fly to the view's EPSG:4326")
  // Picked: the view follows, and so do both notes.
  await page.getByTestId('status-crs').selectOption('32631')
  await expect(utmNote).toHaveCount(0)
  await expect(row(page, fileName(files.geographic)).getByTestId('layer-placement')).toHaveText("EPSG:4326 reprojected on the fly to the view's EPSG:32631")
  await page.mouse.move(box.x + box.width / 2 + 1, box.y + box.height / 2)
  await expect(page.getByTestId('status-map')).toContainText('(EPSG:32631)')
  await shoot(page, `${prefix}-crs-reordered`)
  // The navigator shows the picture again in the new CRS (issue 20: it stayed blank), once the
  // whole content is on screen and sharp: its centre is the hillshade, not the empty overview.
  await page.getByTestId('view-fit').click()
  await waitForSharp(page)
  await expect(page.getByTestId('navigator')).toHaveAttribute('data-picture', 'true')
  await expect.poll(async () => kindOf(await navigatorCentre(page)), { message: 'the navigator’s centre after the CRS change' }).not.toBe('other')
}

/** The colour at the centre of the navigator's overview. */
async function navigatorCentre(page: Page): Promise<RGB> {
  const png = await page.getByTestId('navigator-canvas').screenshot()
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const i = (Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * info.channels
  return [data[i]!, data[i + 1]!, data[i + 2]!]
}

/** Set CRS…: a layer of no CRS, drawn with a warning, is given EPSG:32631 and placed at once; the choice is remembered for its file. */
export async function expectSetCrsPlacesALayer(page: Page, drop: (paths: string[]) => Promise<void>, files: CrsFiles, prefix: string): Promise<void> {
  await drop([files.hillshade])
  await waitForLayers(page, 1)
  await drop([files.noCrs])
  await waitForLayers(page, 2)
  const note = row(page, fileName(files.noCrs)).getByTestId('layer-placement')
  await expect(note).toHaveText("⚠ Unknown CRS differs from the view's EPSG:32631: drawn without reprojection")
  await row(page, fileName(files.noCrs)).getByTestId('layer-set-crs').click()
  const dialog = page.getByTestId('set-crs')
  await expect(dialog).toBeVisible()
  // By words of its name first: the registry is searched.
  await page.getByTestId('set-crs-input').fill('wgs 84 utm zone 31n')
  await expect(dialog.getByTestId('set-crs-result').filter({ hasText: 'EPSG:32631' })).toBeVisible()
  // A refusal is said in the dialog, which stays open.
  await page.getByTestId('set-crs-input').fill('+proj=nonsense')
  await page.getByTestId('set-crs-apply').click()
  await expect(page.getByTestId('set-crs-message')).toContainText('Cannot use')
  await expect(dialog).toBeVisible()
  await page.getByTestId('set-crs-input').fill('32631')
  await dialog.getByTestId('set-crs-result').filter({ hasText: 'EPSG:32631' }).first().click()
  await expect(dialog).toBeHidden()
  await expect(note).toHaveCount(0)
  const [placed, given] = await layerIds(page)
  const a = (await layerToScreen(page, placed!, 30, 40))!
  const b = (await layerToScreen(page, given!, 30, 40))!
  expect(Math.hypot(a.x - b.x, a.y - b.y)).toBeLessThan(0.01)
  await row(page, fileName(files.noCrs)).getByText('Info').click()
  await expect(row(page, fileName(files.noCrs))).toContainText('set by hand')
  await shoot(page, `${prefix}-crs-set-by-hand`)
  // Opened again: placed as the person said.
  await page.getByRole('button', { name: `Remove ${fileName(files.noCrs)}`, exact: true }).click()
  await waitForLayers(page, 1)
  await drop([files.noCrs])
  await waitForLayers(page, 2)
  await expect(row(page, fileName(files.noCrs)).getByTestId('layer-placement')).toHaveCount(0)
}
