/**
 * Issue 22 end to end in a browser: a land cover written by GDAL with a colour table (in the TIFF)
 * and a raster attribute table (in its `.aux.xml`) reads out the class value GDAL gives
 * (gdallocationinfo), its colour's swatch and its class name, and is drawn in the table's colours;
 * a Float32 raster whose no-data is NaN says so in its info (NaN crosses the WebSocket's JSON) and
 * "no data" on its NaN pixels.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { dropFiles, expect, expectColor, setView, shoot, startServe, test, waitForLayers, waitForReady, waitForSharp, watchProblems, type Shot } from '../helpers'
import { gdal, requireGdal, translate, writeSource } from '../../helpers/gdal'

const WIDTH = 300
const HEIGHT = 200
const CLASSES = [
  { value: 11, name: 'Open Water' },
  { value: 21, name: 'Developed, Open Space' },
  { value: 52, name: 'Shrub/Scrub' },
  { value: 90, name: 'Woody Wetlands' }
]
/** The class of pixel (x, y): vertical stripes of 75 pixels. */
const classAt = (x: number): number => CLASSES[Math.floor(x / 75)]!.value
const SHRUB: [number, number, number, number] = [204, 186, 125, 255]

async function pointAt(page: Page, shot: Shot, x: number, y: number): Promise<void> {
  const box = (await page.getByTestId('viewer').boundingBox())!
  const view = shot.view
  await page.mouse.move(box.x + (x + 0.5 - view.centerX) * view.zoom + view.width / 2, box.y + (y + 0.5 - view.centerY) * view.zoom + view.height / 2)
  await expect(page.getByTestId('status-position')).toHaveText(`x ${x}  y ${y}`)
}

test.describe('class values and NaN no-data in a browser', () => {
  let dir = ''
  test.beforeAll(() => {
    requireGdal()
    dir = mkdtempSync(join(tmpdir(), 'tessera-classes-'))
  })
  test.afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test('a land cover reads out its class value, colour swatch and class name, as GDAL gives the value', async ({ browser }) => {
    const data = new Uint8Array(WIDTH * HEIGHT)
    for (let y = 0; y < HEIGHT; y++) for (let x = 0; x < WIDTH; x++) data[y * WIDTH + x] = classAt(x)
    const colorTable = Array.from({ length: 256 }, (_, i): [number, number, number, number] => [(i * 37) % 256, (i * 91) % 256, (i * 53) % 256, 255])
    colorTable[52] = SHRUB
    const vrt = writeSource(dir, 'landcover', { width: WIDTH, height: HEIGHT, bands: 1, type: 'uint8', data }, { colorInterp: ['Palette'], colorTable, attributeTable: CLASSES })
    const tif = await translate(vrt, join(dir, 'landcover.tif'), ['-co', 'TILED=YES', '-co', 'COMPRESS=DEFLATE'])
    const [x, y] = [160, 100]
    expect(Number((await gdal('gdallocationinfo', ['-valonly', tif, String(x), String(y)])).trim()), 'GDAL reads class 52 there').toBe(52)

    // Named on the host's command line: the .aux.xml beside it is read (a dropped file is uploaded alone).
    const server = await startServe([tif])
    const viewer = await browser.newPage({ viewport: { width: 1000, height: 700 } })
    const problems = watchProblems(viewer)
    try {
      await viewer.goto(`${server.url}&diagnostics`)
      await waitForReady(viewer)
      await landCoverReadout(viewer, colorTable, x, y)
      expect(problems()).toEqual([])
    } finally {
      await viewer.close()
      await server.stop()
    }
  })

  async function landCoverReadout(viewer: Page, colorTable: Array<[number, number, number, number]>, x: number, y: number): Promise<void> {
    await waitForLayers(viewer, 1)
    await setView(viewer, { centerX: 150, centerY: 100, zoom: 2 })
    await waitForSharp(viewer)
    const shot = await shoot(viewer, 'browser-landcover')
    await pointAt(viewer, shot, x, y)
    await expect(viewer.getByTestId('status-value')).toHaveText('52')
    await expect(viewer.getByTestId('status-class')).toHaveText('Shrub/Scrub')
    const swatch = viewer.getByTestId('status-class-swatch')
    await expect(swatch).toBeVisible()
    await expect(swatch).toHaveCSS('background-color', 'rgb(204, 186, 125)')
    // Drawn in the table's colours, as the picture was (GDAL's -expand rgb).
    expectColor(shot.image(x, y), [204, 186, 125], 'class 52 on screen', 2)
    const water = colorTable[11]!
    expectColor(shot.image(20, 50), [water[0], water[1], water[2]], 'class 11 on screen', 2)
    await pointAt(viewer, shot, 20, 50)
    await expect(viewer.getByTestId('status-value')).toHaveText('11')
    await expect(viewer.getByTestId('status-class')).toHaveText('Open Water')
  }

  test('a Float32 raster whose no-data is NaN says NaN in its info and "no data" on its NaN pixels', async ({ viewer }) => {
    const data = new Float32Array(WIDTH * HEIGHT)
    for (let y = 0; y < HEIGHT; y++) for (let x = 0; x < WIDTH; x++) data[y * WIDTH + x] = x < 40 ? Number.NaN : 1.5 + x / 100
    const vrt = writeSource(dir, 'depth-nan', { width: WIDTH, height: HEIGHT, bands: 1, type: 'float32', data }, { noData: Number.NaN })
    const tif = await translate(vrt, join(dir, 'depth-nan.tif'), ['-co', 'TILED=YES', '-co', 'COMPRESS=DEFLATE'])
    await dropFiles(viewer, [tif])
    await waitForLayers(viewer, 1)
    await setView(viewer, { centerX: 150, centerY: 100, zoom: 2 })
    await waitForSharp(viewer)
    const shot = await shoot(viewer, 'browser-nan-nodata')
    await pointAt(viewer, shot, 20, 100)
    await expect(viewer.getByTestId('status-value')).toHaveText('no data')
    await pointAt(viewer, shot, 200, 100)
    await expect(viewer.getByTestId('status-value')).toHaveText('3.5')
    await expect(viewer.getByTestId('status-class-swatch'), 'no class swatch for a value raster').toBeHidden()
    await viewer.getByTestId('layers').getByText('Info').click()
    await expect(viewer.getByTestId('layers').locator('dt:text-is("No data") + dd')).toHaveText('NaN')
  })
})
