/**
 * Issue 25 in a browser against `npm run serve`: web map layers added through "Add map layer…"
 * from real servers — Debian's MapServer (WMS, behind fcgiwrap and nginx) and a pyramid written
 * by GDAL's own gdal2tiles.py served by nginx (XYZ). A WMS layer draws the orthophoto MapServer
 * serves, an XYZ layer over it draws gdal2tiles' blocks, the view's corner says both attributions
 * and follows what is shown (and a saved picture of the view says them too), the list of web layers (order, visibility, opacity) comes back after
 * a reload, and a server that refuses its tiles (403, as a tile server without its key does) says
 * "n tiles failed" in its row while the other layer keeps drawing, as does one whose PNG tiles do
 * not decode in the page (nothing waits for them). (A 404 of an XYZ server is an empty tile, not a
 * failure: a pyramid has no file where it has no data.)
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import type { Locator, Page } from '@playwright/test'
import { gdalRaster, gdalTransform, requireGdal, rgbImage } from '../../helpers/gdal'
import { startMapServer, writeWmsData, type MapServerProcess, type WmsData } from '../../helpers/mapserver'
import { startNginx, type NginxServer } from '../../helpers/nginx'
import { writeXyzPyramid, type XyzPyramid } from '../../helpers/xyzPyramid'
import { SCREENSHOTS, dropFiles, expect, shoot, test, waitForLayers, waitForReady, waitForSharp } from '../helpers'
import type { GeoTransform } from '../../../src/shared/raster'
import type { RGB } from '../images'
import { pngColor } from '../viewerUi'

/** What the XYZ layer of these tests is credited with (a template states none: typed in the dialog). */
const BLOCKS_ATTRIBUTION = '© Blocks, the Tessera tests'

test.describe('web map layers, in a browser', () => {
  let dir: string
  let wms: WmsData
  let pyramid: XyzPyramid
  let mapServer: MapServerProcess
  let nginx: NginxServer

  test.beforeAll(async () => {
    requireGdal() // CI installs gdal-bin, python3-gdal, cgi-mapserver, fcgiwrap and nginx: without them these fail with the reason, never skip
    dir = mkdtempSync(join(tmpdir(), 'tessera-web-layers-'))
    chmodSync(dir, 0o755) // as root, MapServer and nginx run as nobody: they go through it
    mkdirSync(join(dir, 'wms'))
    mkdirSync(join(dir, 'tiles'))
    wms = await writeWmsData(join(dir, 'wms'))
    pyramid = await writeXyzPyramid(join(dir, 'tiles'))
    mapServer = await startMapServer(wms)
    writeFileSync(join(dir, 'broken.png'), brokenPng(256, 256))
    nginx = await startNginx(dir, { locations: [mapServer.location('/wms'), 'location /tiles/forbidden/ { return 403; }', 'location /tiles/broken/ { rewrite ^ /broken.png break; }'] })
  })

  test.afterAll(async () => {
    await nginx?.stop()
    await mapServer?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  const wmsUrl = (): string => nginx.url('/wms?SERVICE=WMS&REQUEST=GetCapabilities')
  const xyzUrl = (): string => nginx.url('/tiles/xyz/{z}/{x}/{y}.png')

  /** The WMS orthophoto drawn sharp, then an XYZ layer of `template` (a path on nginx) over it: the XYZ layer's row. */
  async function xyzOverOrtho(viewer: Page, template: string): Promise<Locator> {
    await addWmsOrtho(viewer, wmsUrl())
    await waitForLayers(viewer, 1)
    await waitForSharp(viewer)
    await addXyz(viewer, nginx.url(template), '')
    await waitForLayers(viewer, 2)
    return viewer.getByTestId('layer').first()
  }

  test('a WMS layer and an XYZ layer added through the dialog draw, credit their providers, and come back after a reload', async ({ viewer }) => {
    // The WMS: its layers listed with title, name and CRSs; the orthophoto added.
    await viewer.getByTestId('toolbar-add-map-layer').click()
    const dialog = viewer.getByTestId('add-map-layer')
    await expect(dialog).toBeVisible()
    await dialog.getByTestId('add-map-layer-url').fill(wmsUrl())
    await dialog.getByTestId('add-map-layer-load').click()
    // The mapfile's named root layer (every layer drawn together), then its two layers.
    await expect(dialog.getByTestId('add-map-layer-item')).toHaveCount(3)
    expect(await dialog.getByTestId('add-map-layer-item').evaluateAll((items) => items.map((item) => item.getAttribute('data-name')))).toEqual(['tessera', 'ortho', 'dem'])
    const orthoItem = dialog.locator('[data-testid="add-map-layer-item"][data-name="ortho"]')
    await expect(orthoItem).toContainText('Orthophoto')
    await expect(orthoItem).toContainText('EPSG:31370')
    await orthoItem.click()
    await dialog.getByTestId('add-map-layer-add').click()
    await expect(dialog).toBeHidden()
    await waitForLayers(viewer, 1)
    const wmsRow = viewer.getByTestId('layer').filter({ has: viewer.getByTestId('layer-service').filter({ hasText: 'WMS' }) })
    await expect(wmsRow).toHaveCount(1)
    await waitForSharp(viewer)
    await expect(wmsRow.getByTestId('layer-status')).toBeHidden() // every tile in: nothing more to say
    await expectOrthoAtCentre(viewer, wms, 'the WMS orthophoto at the centre of the view')

    // The XYZ pyramid over it, credited as typed; the view stays on the orthophoto, not the planet.
    // Every height the rows take while their tiles come in is recorded: a status line that appears
    // ("loading n tiles…") and goes once they are in must not move the rows below it.
    await viewer.evaluate(() => {
      const heights: Array<{ state: string; rows: number[] }> = []
      const panel = document.querySelector('[data-testid="layer"]')!.parentElement!
      const observer = new MutationObserver(() => {
        const rows = [...panel.querySelectorAll<HTMLElement>('[data-testid="layer"]')]
        const states = rows.map((row) => row.querySelector('[data-testid="layer-status"]')?.className ?? '')
        heights.push({ state: states.join(' '), rows: rows.map((row) => row.offsetHeight) })
      })
      observer.observe(panel, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['class', 'hidden'] })
      // Read once, and no more layouts forced by the rest of the test.
      ;(window as unknown as { __rowHeights: () => typeof heights }).__rowHeights = () => {
        observer.disconnect()
        return heights
      }
    })
    await addXyz(viewer, xyzUrl(), BLOCKS_ATTRIBUTION)
    await waitForLayers(viewer, 2)
    const xyzRow = viewer.getByTestId('layer').first()
    await expect(xyzRow.getByTestId('layer-service')).toHaveText('XYZ')
    await waitForSharp(viewer)
    const heights = await viewer.evaluate(() => (window as unknown as { __rowHeights: () => Array<{ state: string; rows: number[] }> }).__rowHeights().filter((h) => h.rows.length === 2))
    expect(heights.some((h) => h.state.includes('layer-status-loading')), `the XYZ row said it was loading: ${JSON.stringify(heights)}`).toBe(true)
    expect(heights.some((h) => !h.state.includes('layer-status-loading')), `and then that all was in: ${JSON.stringify(heights)}`).toBe(true)
    expect(new Set(heights.map((h) => h.rows.join(','))).size, `the rows' heights, loading or not: ${JSON.stringify(heights)}`).toBe(1)
    const wmsAttribution = await infoValue(wmsRow, 'Attribution')
    expect(wmsAttribution).toMatch(/Orthophoto \(c\) a test survey|Test data \(c\) Tessera/) // the mapfile's, as the host read it
    await expectAttribution(viewer, [BLOCKS_ATTRIBUTION, wmsAttribution])
    await expectBlocks(viewer, pyramid, 'the XYZ blocks over the orthophoto')
    await expectBlockPastDeepestZoom(viewer, pyramid)

    // Hidden, the WMS leaves the corner; its opacity is set.
    await wmsRow.locator('.layer-opacity').fill('0.5')
    await wmsRow.locator('.layer-visible').uncheck()
    await expectAttribution(viewer, [BLOCKS_ATTRIBUTION])

    // After a reload: the same layers in the same order, the WMS hidden at half opacity, the blocks drawn.
    await viewer.reload()
    await waitForReady(viewer)
    await waitForLayers(viewer, 2)
    await expect(viewer.getByTestId('layer-service')).toHaveText(['XYZ', 'WMS'])
    await expect(wmsRow.locator('.layer-visible')).not.toBeChecked()
    await expect(wmsRow.locator('.layer-opacity')).toHaveValue('0.5')
    await expectAttribution(viewer, [BLOCKS_ATTRIBUTION])
    await expectBlocks(viewer, pyramid, 'the XYZ blocks after a reload')
    await wmsRow.locator('.layer-visible').check()
    await expectAttribution(viewer, [BLOCKS_ATTRIBUTION, wmsAttribution])

    // The view saved as a PNG credits both providers in its corner, as the window does: a dark chip
    // over the map, light text in it.
    await waitForSharp(viewer)
    const download = viewer.waitForEvent('download')
    await viewer.keyboard.press('Control+s')
    mkdirSync(SCREENSHOTS, { recursive: true })
    const saved = join(SCREENSHOTS, 'browser-web-saved-view.png')
    await (await download).saveAs(saved)
    const png = await pngColor(saved)
    const chip = (x: number, y: number): RGB => png.at(png.width - x, png.height - y)
    for (const [x, y] of [[2, 2], [3, 30], [2, 33]] as const) {
      expect(Math.max(...chip(x, y)), `the chip's padding at ${x}, ${y} from the corner: ${chip(x, y).join(',')}`).toBeLessThanOrEqual(0.3 * 255 + 0.7 * 36 + 2)
    }
    let light = 0
    for (let y = 4; y < 32; y++) for (let x = 8; x < 140; x++) if (Math.min(...chip(x, y)) >= 170) light++
    expect(light, 'text pixels in the chip').toBeGreaterThan(20)
  })

  test('an XYZ server that refuses its tiles (403) says so in its row, and the WMS layer under it keeps drawing', async ({ viewer }) => {
    const failing = await xyzOverOrtho(viewer, '/tiles/forbidden/{z}/{x}/{y}.png')
    await expect(failing.getByTestId('layer-service')).toHaveText('XYZ')
    await expect(failing.getByTestId('layer-status')).toHaveText(/^\d+ tiles? failed: .*403/)
    expect(Number((await failing.getByTestId('layer-status').textContent())!.split(' ')[0])).toBeGreaterThan(0)
    // The status is a live region: changed in place, never replaced (a screen reader reads out only changes of the same element).
    await failing.getByTestId('layer-status').evaluate((line) => line.setAttribute('data-seen', 'yes'))

    // The WMS draws the ground the view moves to (still on the orthophoto), through the failing layer above it.
    const view = await worldView(viewer)
    await setWorldView(viewer, { centerX: view.centerX + view.width / 8 / view.zoom, centerY: view.centerY + view.height / 8 / view.zoom, zoom: view.zoom * 2 })
    await expect.poll(async () => orthoOffAtCentre(viewer, wms), { timeout: 60_000, message: 'the WMS orthophoto drawn at the new centre' }).toBe(null)
    await expect(failing.getByTestId('layer-status')).toHaveText(/^\d+ tiles? failed: .*403/)
    await expect(failing.getByTestId('layer-status')).toHaveAttribute('data-seen', 'yes')
  })

  test('an XYZ server whose PNG tiles do not decode (their header sound, their pixels not) says so in its row, and nothing waits for them', async ({ viewer }) => {
    // The host sends a PNG whose header says the tile's size as it came; the page's tile worker decodes it, and cannot.
    const broken = await xyzOverOrtho(viewer, '/tiles/broken/{z}/{x}/{y}.png')
    await expect(broken.getByTestId('layer-status')).toHaveText(/^\d+ tiles? failed: Cannot decode the PNG\b/)
    await expect.poll(() => viewer.evaluate(() => (globalThis as unknown as { __tesseraDiagnostics: { stats(): { pending: number } } }).__tesseraDiagnostics.stats().pending), { timeout: 30_000, message: 'tiles still awaited' }).toBe(0)
    await expect.poll(async () => orthoOffAtCentre(viewer, wms), { timeout: 30_000, message: 'the WMS orthophoto drawn under it' }).toBe(null)
  })

  test('a DEM file dropped over a WMS orthophoto and an XYZ basemap is drawn on top, at its place on the ground, and stays on top after a lost connection', async ({ viewer }) => {
    // A DEM of the orthophoto's middle (EPSG:31370, 2 m pixels): a slope, no holes, drawn grey.
    const demTransform: GeoTransform = [150150, 2, 0, 169900, 0, -2]
    const [demWidth, demHeight] = [100, 75]
    const data = new Int16Array(demWidth * demHeight)
    for (let y = 0; y < demHeight; y++) for (let x = 0; x < demWidth; x++) data[y * demWidth + x] = 100 + x + y
    const dem = await gdalRaster(dir, 'dem-over-ortho', { width: demWidth, height: demHeight, bands: 1, type: 'int16', data }, [], { geoTransform: demTransform, srs: 'EPSG:31370' })

    await addXyz(viewer, xyzUrl(), BLOCKS_ATTRIBUTION)
    await waitForLayers(viewer, 1)
    await addWmsOrtho(viewer, wmsUrl())
    await waitForLayers(viewer, 2)
    await dropFiles(viewer, [dem])
    await waitForLayers(viewer, 3)
    await expect(viewer.getByTestId('layer-service')).toHaveText(['WMS', 'XYZ']) // the DEM's row has none: a file

    // The view on the orthophoto around the DEM, every layer sharp.
    const crs = await viewCrs(viewer)
    // The orthophoto's edges: MapServer's WGS 84 box of it lies ~100 m west and north of it; a layer
    // placed by that box lost its east and south edges.
    const nearEast: [number, number] = [150505, 169800]
    const nearSouth: [number, number] = [150300, 169622]
    const [[cx, cy], [dx, dy], [ox, oy], [ex, ey], [sx, sy]] = await gdalTransform(['-s_srs', 'EPSG:31370', '-t_srs', crs], [
      [150250, 169800], // the DEM's centre
      [150260, 169790], // inside the DEM, off its centre pixel
      [150450, 169800], // on the orthophoto, east of the DEM
      nearEast,
      nearSouth
    ])
    const view = await worldView(viewer)
    const span = Math.abs(ox! - cx!) * 2.4
    await setWorldView(viewer, { centerX: cx!, centerY: -cy!, zoom: Math.min(view.width, view.height) / span })
    await waitForSharp(viewer)
    const shot = await shoot(viewer, 'web-layers-dem-over-wms-and-xyz')
    const [onDem, onOrtho, onEast, onSouth] = await mapToScreen(viewer, [
      [dx!, dy!],
      [ox!, oy!],
      [ex!, ey!],
      [sx!, sy!]
    ])
    // On the DEM: its grey (a value layer drawn with the grey map), not the orthophoto's colour there.
    const dem1 = shot.at(onDem!.x, onDem!.y)
    expect(Math.max(...dem1) - Math.min(...dem1), `the DEM's grey at its place, got ${dem1.join(',')}`).toBeLessThanOrEqual(3)
    const under = orthoColour(wms, 150260, 169790)
    expect(dem1.some((v, i) => Math.abs(v - under[i]!) > 24), `the DEM drawn over the orthophoto (${dem1.join(',')} vs the orthophoto's ${under.join(',')})`).toBe(true)
    // Beside it, the orthophoto as MapServer serves it, over the XYZ basemap.
    const ortho1 = shot.at(onOrtho!.x, onOrtho!.y)
    const expected = orthoColour(wms, 150450, 169800)
    expect(ortho1.every((v, i) => Math.abs(v - expected[i]!) <= 12), `the orthophoto beside the DEM: ${ortho1.join(',')} vs ${expected.join(',')}`).toBe(true)
    for (const [name, onScreen, [x, y]] of [['east', onEast!, nearEast], ['south', onSouth!, nearSouth]] as const) {
      expect(onScreen.x >= 0 && onScreen.x < view.width && onScreen.y >= 0 && onScreen.y < view.height, `the point near the ${name} edge on screen`).toBe(true)
      const edge = shot.at(onScreen.x, onScreen.y)
      const colour = orthoColour(wms, x, y)
      expect(edge.every((v, i) => Math.abs(v - colour[i]!) <= 12), `the orthophoto near its ${name} edge: ${edge.join(',')} vs ${colour.join(',')}`).toBe(true)
    }

    // The connection lost and back: the DEM (opened again from the File dropped) and the two web
    // layers (from their parameters) come back in the order they had, whichever opens first.
    const namesBefore = await viewer.getByTestId('layer-name').allTextContents()
    expect(namesBefore).toHaveLength(3)
    await viewer.evaluate(() => (window as unknown as DiagnosticsGlobal).__tesseraDiagnostics.dropConnection())
    await expect(viewer.locator('#errors')).toContainText('Connection to the Tessera service lost')
    await expect.poll(() => viewer.evaluate(() => (window as unknown as DiagnosticsGlobal).__tesseraDiagnostics.connected()), { timeout: 30_000 }).toBe(true)
    await waitForLayers(viewer, 3)
    await expect(viewer.getByTestId('layer-name')).toHaveText(namesBefore)
    await expect(viewer.getByTestId('layer-service')).toHaveText(['WMS', 'XYZ'])
    await waitForSharp(viewer)
  })
})

/** The diagnostics of the page (`?diagnostics`) these tests use. */
interface DiagnosticsGlobal {
  __tesseraDiagnostics: { dropConnection(): void; connected(): boolean }
}

/** Adds the WMS layer `ortho` of the capabilities at `url` through Add map layer… (loaded, the layer picked). */
async function addWmsOrtho(page: Page, url: string): Promise<void> {
  await page.getByTestId('toolbar-add-map-layer').click()
  const dialog = page.getByTestId('add-map-layer')
  await dialog.getByTestId('add-map-layer-url').fill(url)
  await dialog.getByTestId('add-map-layer-load').click()
  await dialog.locator('[data-testid="add-map-layer-item"][data-name="ortho"]').click()
  await dialog.getByTestId('add-map-layer-add').click()
}

/** Adds an XYZ template through the dialog, credited with `attribution` (its one layer is picked at once). */
async function addXyz(page: Page, url: string, attribution: string): Promise<void> {
  await page.getByTestId('toolbar-add-map-layer').click()
  const dialog = page.getByTestId('add-map-layer')
  await dialog.getByTestId('add-map-layer-url').fill(url)
  await dialog.getByTestId('add-map-layer-load').click()
  await expect(dialog.getByTestId('add-map-layer-item')).toHaveCount(1)
  await expect(dialog.getByTestId('add-map-layer-item')).toHaveAttribute('aria-selected', 'true')
  await dialog.getByTestId('add-map-layer-attribution').fill(attribution)
  await dialog.getByTestId('add-map-layer-add').click()
  await expect(dialog).toBeHidden()
}

/** The lines of the attribution in the view's corner, the top layer's first (none: it is hidden). */
async function expectAttribution(page: Page, lines: string[]): Promise<void> {
  const corner = page.getByTestId('attribution')
  if (lines.length === 0) return void (await expect(corner).toBeHidden())
  await expect(corner).toBeVisible()
  await expect(corner.locator('.map-attribution-line')).toHaveText(lines)
}

/** A value of a layer's Info table. */
async function infoValue(row: Locator, label: string): Promise<string> {
  const value = await row.locator('.info-table dt').filter({ hasText: new RegExp(`^${label}$`) }).locator('xpath=following-sibling::dd[1]').textContent()
  if (value === null) throw new Error(`Expected an ${label} row in the layer's info but found none`)
  return value
}

/** The view's CRS as the status bar holds it ("EPSG:31370"). */
async function viewCrs(page: Page): Promise<string> {
  const value = await page.getByTestId('status-crs').inputValue()
  return /^\d+$/.test(value) ? `EPSG:${value}` : value
}

/** The page's diagnostics used here: the camera in world units (map X, −map Y), and a map point's place on screen. */
interface WorldDiagnostics {
  __tesseraDiagnostics: {
    worldView(): WorldView
    setWorldView(view: { centerX: number; centerY: number; zoom: number }): void
    mapToScreen(x: number, y: number): { x: number; y: number }
  }
}
interface WorldView {
  centerX: number
  centerY: number
  zoom: number
  width: number
  height: number
}

function worldView(page: Page): Promise<WorldView> {
  return page.evaluate(() => (globalThis as unknown as WorldDiagnostics).__tesseraDiagnostics.worldView())
}

function setWorldView(page: Page, view: { centerX: number; centerY: number; zoom: number }): Promise<void> {
  return page.evaluate((v) => (globalThis as unknown as WorldDiagnostics).__tesseraDiagnostics.setWorldView(v), view)
}

/** Where map points of the view's CRS are on the screen now. */
function mapToScreen(page: Page, points: Array<[number, number]>): Promise<Array<{ x: number; y: number }>> {
  return page.evaluate((ps) => ps.map(([x, y]) => (globalThis as unknown as WorldDiagnostics).__tesseraDiagnostics.mapToScreen(x, y)), points)
}

/** The orthophoto's colour at a point of EPSG:31370 (its own pixels: 1 m from 150000, 170000). */
function orthoColour(wms: WmsData, x: number, y: number): RGB {
  const [width, height] = wms.orthoSize
  const image = rgbImage(width, height)
  const t = wms.orthoTransform
  const px = Math.floor((x - t[0]) / t[1])
  const py = Math.floor((y - t[3]) / t[5])
  if (px < 0 || py < 0 || px >= width || py >= height) throw new Error(`Expected a point on the orthophoto but ${x}, ${y} is off it`)
  const plane = width * height
  const i = py * width + px
  const data = image.data as Uint8Array
  return [data[i]!, data[plane + i]!, data[2 * plane + i]!]
}

/** Null when the screen's centre shows the orthophoto's colour there (within a resampling's rounding), else what it shows. */
async function orthoOffAtCentre(page: Page, wms: WmsData): Promise<string | null> {
  const view = await worldView(page)
  const shot = await shoot(page, 'web-layers-ortho')
  const crs = await viewCrs(page)
  const [[x, y]] = await gdalTransform(['-s_srs', crs, '-t_srs', 'EPSG:31370'], [[view.centerX, -view.centerY]])
  const expected = orthoColour(wms, x!, y!)
  const actual = shot.at(view.width / 2, view.height / 2)
  return actual.some((v, i) => Math.abs(v - expected[i]!) > 12) ? `screen ${actual.join(',')} vs orthophoto ${expected.join(',')} in ${crs}` : null
}

async function expectOrthoAtCentre(page: Page, wms: WmsData, where: string): Promise<void> {
  expect(await orthoOffAtCentre(page, wms), where).toBe(null)
}

/**
 * Moves the view over the gdal2tiles picture (the XYZ layer's only tiles) at about a screen pixel
 * per source pixel, and waits until the centre of every block of the middle row shows the
 * picture's colour there (gdal2tiles writes only the tiles over its picture; the others, asked for
 * around it, are 404: empty tiles).
 */
async function expectBlocks(page: Page, pyramid: XyzPyramid, where: string): Promise<void> {
  const crs = await viewCrs(page)
  const row = Math.floor(pyramid.blocks / 2)
  const centres = Array.from({ length: pyramid.blocks }, (_v, i) => pyramid.centreOf(i, row))
  const corners: Array<[number, number]> = [
    [pyramid.transform[0], pyramid.transform[3]],
    [pyramid.transform[0] + pyramid.width * pyramid.transform[1], pyramid.transform[3] + pyramid.height * pyramid.transform[5]]
  ]
  const inView = await gdalTransform(['-s_srs', 'EPSG:3857', '-t_srs', crs], [...corners, ...centres])
  const [a, b] = inView
  const view = await worldView(page)
  const zoom = 0.9 * Math.min(view.width / Math.abs(b![0] - a![0]), view.height / Math.abs(b![1] - a![1]))
  await setWorldView(page, { centerX: (a![0] + b![0]) / 2, centerY: -(a![1] + b![1]) / 2, zoom })
  const blocksOff = async (): Promise<string[]> => {
    const shot = await shoot(page, 'web-layers-blocks')
    const onScreen = await mapToScreen(page, inView.slice(2))
    return onScreen.flatMap((at, i) => {
      const actual = shot.at(at.x, at.y)
      const expected = pyramid.colourOf(i, row)
      return actual.some((v, c) => Math.abs(v - expected[c]!) > 8) ? [`block ${i}, ${row} at ${Math.round(at.x)}, ${Math.round(at.y)}: screen ${actual.join(',')} vs picture ${expected.join(',')}`] : []
    })
  }
  await expect.poll(blocksOff, { timeout: 90_000, intervals: [250, 500, 1000], message: `${where} (view in ${crs})` }).toEqual([])
}

/**
 * Zooms to about 8 screen pixels a metre over one block, past the pyramid's deepest zoom (17; the
 * bare template says 0–19, so zooms 18 and 19 are asked for and answered 404), and waits until the
 * block's colour is drawn there: zoom 17's tile magnified (overzoom), where a hole showed the
 * orthophoto under it.
 */
async function expectBlockPastDeepestZoom(page: Page, pyramid: XyzPyramid): Promise<void> {
  const crs = await viewCrs(page)
  const [i, j] = [3, 4]
  const [centre] = await gdalTransform(['-s_srs', 'EPSG:3857', '-t_srs', crs], [pyramid.centreOf(i, j)])
  await setWorldView(page, { centerX: centre![0], centerY: -centre![1], zoom: 8 })
  // Every tile in, the magnified ones included: until then the coarser stand-ins show the same colour.
  await waitForSharp(page)
  const expected = pyramid.colourOf(i, j)
  const off = async (): Promise<string[]> => {
    const shot = await shoot(page, 'web-layers-overzoom')
    const [at] = await mapToScreen(page, [centre!])
    return [[0, 0], [-24, -24], [24, 24], [-24, 24]].flatMap(([dx, dy]) => {
      const actual = shot.at(at!.x + dx!, at!.y + dy!)
      return actual.some((v, c) => Math.abs(v - expected[c]!) > 8) ? [`${dx}, ${dy} from the block's centre: screen ${actual.join(',')} vs picture ${expected.join(',')}`] : []
    })
  }
  await expect.poll(off, { timeout: 60_000, intervals: [250, 500, 1000], message: `block ${i}, ${j} past the pyramid's deepest zoom (view in ${crs})` }).toEqual([])
  expect((await worldView(page)).zoom).toBeCloseTo(8, 5)
}

/**
 * A PNG of `width` × `height` RGBA whose chunks are all sound (signature, IHDR, CRCs) but whose
 * image data is not a deflate stream: readers of its header take it for the tile, decoders fail.
 */
function brokenPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([8, 6, 0, 0, 0], 8) // 8 bits, RGBA, deflate, adaptive filtering, no interlace
  const notDeflate = Buffer.concat([Buffer.from([0x78, 0x9c]), Buffer.alloc(200, 0xff)])
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', notDeflate), chunk('IEND', Buffer.alloc(0))])
}
