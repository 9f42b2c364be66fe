/**
 * Issue 11 end to end in a browser: GeoTIFFs written by GDAL (`gdal_translate`, Debian's gdal-bin)
 * with a no-data value. The readout under the cursor shows the file's original values (Int16:
 * negative and above 255, as GDAL reads them) and "no data" on no-data pixels, which are
 * transparent over the checkerboard; a three-band UInt16 raster shows every band's value and is
 * drawn as RGB of its bands, each stretched.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { dropFiles, expect, setView, shoot, test, waitForLayers, waitForSharp, type Shot } from '../helpers'
import { requireGdal } from '../../helpers/gdal'

const WIDTH = 300
const HEIGHT = 200
const NO_DATA = -32768

/** Int16 value at (x, y): negative on the left, above 255 on the right; no data in the block x < 20, y < 20. */
function demValue(x: number, y: number): number {
  return x < 20 && y < 20 ? NO_DATA : x * 7 - y * 3 - 200
}

/** UInt16 bands of the three-band raster at (x, y); no data (0) in the block x ≥ 280, y ≥ 180. */
function sceneValues(x: number, y: number): [number, number, number] {
  return x >= 280 && y >= 180 ? [0, 0, 0] : [1000 + x * 10, 2000 + y * 10, 30000 + x + y]
}

/** Writes band-sequential little-endian samples as a raw file wrapped in a VRT, then a GeoTIFF through gdal_translate. */
function writeGeoTiff(dir: string, name: string, type: 'Int16' | 'UInt16', bands: number, value: (x: number, y: number, band: number) => number, noData: number): string {
  const raw = join(dir, `${name}.raw`)
  const samples = type === 'Int16' ? new Int16Array(WIDTH * HEIGHT * bands) : new Uint16Array(WIDTH * HEIGHT * bands)
  for (let b = 0; b < bands; b++) {
    for (let y = 0; y < HEIGHT; y++) for (let x = 0; x < WIDTH; x++) samples[b * WIDTH * HEIGHT + y * WIDTH + x] = value(x, y, b)
  }
  writeFileSync(raw, new Uint8Array(samples.buffer))
  const bandXml = Array.from(
    { length: bands },
    (_, b) => `  <VRTRasterBand dataType="${type}" band="${b + 1}" subClass="VRTRawRasterBand">
    <SourceFilename relativeToVRT="1">${name}.raw</SourceFilename>
    <ImageOffset>${b * WIDTH * HEIGHT * 2}</ImageOffset><PixelOffset>2</PixelOffset><LineOffset>${WIDTH * 2}</LineOffset><ByteOrder>LSB</ByteOrder>
  </VRTRasterBand>`
  ).join('\n')
  const vrt = join(dir, `${name}.vrt`)
  writeFileSync(vrt, `<VRTDataset rasterXSize="${WIDTH}" rasterYSize="${HEIGHT}">\n${bandXml}\n</VRTDataset>\n`)
  const tif = join(dir, `${name}.tif`)
  execFileSync('gdal_translate', [
    '-q', '-of', 'GTiff', '-co', 'TILED=YES', '-co', 'COMPRESS=DEFLATE',
    '-a_nodata', String(noData), '-a_srs', 'EPSG:32631', '-a_ullr', '500000', '6000000', String(500000 + WIDTH * 2), String(6000000 - HEIGHT * 2),
    vrt, tif
  ])
  return tif
}

/** Moves the mouse over the centre of image pixel (x, y) of the view in `shot`. */
async function pointAt(page: Page, shot: Shot, x: number, y: number): Promise<void> {
  const box = (await page.getByTestId('viewer').boundingBox())!
  const view = shot.view
  await page.mouse.move(box.x + (x + 0.5 - view.centerX) * view.zoom + view.width / 2, box.y + (y + 0.5 - view.centerY) * view.zoom + view.height / 2)
  await expect(page.getByTestId('status-position')).toHaveText(`x ${x}  y ${y}`)
}

function isChecker([r, g, b]: readonly number[]): boolean {
  return r === g && g === b && (Math.abs(r! - 204) <= 2 || Math.abs(r! - 153) <= 2)
}

test.describe('original band values in a browser', () => {
  let dir = ''
  test.beforeAll(() => {
    requireGdal() // CI installs gdal-bin: without it these fail with the reason, never skip
    dir = mkdtempSync(join(tmpdir(), 'tessera-bands-'))
  })
  test.afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test('an Int16 GeoTIFF with no-data: original values and "no data" in the readout, no-data transparent', async ({ viewer }) => {
    const tif = writeGeoTiff(dir, 'dem-int16', 'Int16', 1, (x, y) => demValue(x, y), NO_DATA)
    await dropFiles(viewer, [tif])
    await waitForLayers(viewer, 1)
    await setView(viewer, { centerX: 150, centerY: 100, zoom: 2 })
    await waitForSharp(viewer)
    const shot = await shoot(viewer, 'browser-int16-nodata')
    for (const [x, y] of [[120, 60], [200, 130], [250, 100]] as const) {
      await pointAt(viewer, shot, x, y)
      await expect(viewer.getByTestId('status-value')).toHaveText(String(demValue(x, y)))
    }
    expect(demValue(120, 60)).toBeGreaterThan(255)
    expect(demValue(25, 150)).toBeLessThan(0)
    await pointAt(viewer, shot, 25, 150)
    await expect(viewer.getByTestId('status-value')).toHaveText(String(demValue(25, 150)))
    // The map coordinates of the pixel's centre through the geotransform (2 m pixels).
    await expect(viewer.getByTestId('status-map')).toContainText('500051.00')
    await expect(viewer.getByTestId('status-map')).toContainText('5999699.00')

    await setView(viewer, { centerX: 20, centerY: 20, zoom: 8 })
    await waitForSharp(viewer)
    const corner = await shoot(viewer, 'browser-int16-nodata-corner')
    await pointAt(viewer, corner, 5, 7)
    await expect(viewer.getByTestId('status-value')).toHaveText('no data')
    expect(isChecker(corner.image(5, 7)), `no-data shows the checkerboard: ${corner.image(5, 7).join(',')}`).toBe(true)
    await pointAt(viewer, corner, 25, 7)
    await expect(viewer.getByTestId('status-value')).toHaveText(String(demValue(25, 7)))

    await viewer.getByTestId('layers').getByText('Info').click()
    await expect(viewer.getByTestId('layers')).toContainText('int16')
    await expect(viewer.getByTestId('layers')).toContainText(String(NO_DATA))
    await expect(viewer.getByTestId('layers')).toContainText('DEFLATE')
  })

  test('a three-band UInt16 GeoTIFF: every band in the readout, RGB of its bands, a band picker', async ({ viewer }) => {
    const tif = writeGeoTiff(dir, 'scene-uint16', 'UInt16', 3, (x, y, b) => sceneValues(x, y)[b]!, 0)
    await dropFiles(viewer, [tif])
    await waitForLayers(viewer, 1)
    await setView(viewer, { centerX: 150, centerY: 100, zoom: 2 })
    await waitForSharp(viewer)
    const shot = await shoot(viewer, 'browser-uint16-rgb')
    await pointAt(viewer, shot, 140, 90)
    await expect(viewer.getByTestId('status-value')).toHaveText(sceneValues(140, 90).join(', '))
    // Red rises to the right, green downwards: each band stretched on its own.
    const left = shot.image(20, 100)
    const right = shot.image(270, 100)
    expect(right[0] - left[0], `red rises to the right: ${left.join(',')} → ${right.join(',')}`).toBeGreaterThan(150)
    const top = shot.image(150, 10)
    const bottom = shot.image(150, 170)
    expect(bottom[1] - top[1], `green rises downwards: ${top.join(',')} → ${bottom.join(',')}`).toBeGreaterThan(150)

    await setView(viewer, { centerX: 280, centerY: 180, zoom: 8 })
    await waitForSharp(viewer)
    const corner = await shoot(viewer, 'browser-uint16-rgb-corner')
    await pointAt(viewer, corner, 290, 190)
    await expect(viewer.getByTestId('status-value')).toHaveText('no data')
    expect(isChecker(corner.image(290, 190)), `no-data shows the checkerboard: ${corner.image(290, 190).join(',')}`).toBe(true)

    // One band with a colour map: the picker rebuilds the textures from the tiles already received.
    await viewer.getByTestId('band-mode').selectOption('single')
    await viewer.getByTestId('band-single').selectOption('1')
    await waitForSharp(viewer)
    const single = await shoot(viewer, 'browser-uint16-band2')
    const [r, g, b] = single.image(270, 170)
    expect(r === g && g === b, `band 2 alone is grey: ${r},${g},${b}`).toBe(true)
    await pointAt(viewer, single, 270, 170)
    await expect(viewer.getByTestId('status-value')).toHaveText(sceneValues(270, 170).join(', '))
  })

  test('a layer remembers its composite: bands 3-2-1 made by hand come back after one band is shown (issue 20)', async ({ viewer }) => {
    const tif = writeGeoTiff(dir, 'scene-composite', 'UInt16', 3, (x, y, b) => sceneValues(x, y)[b]!, 0)
    await dropFiles(viewer, [tif])
    await waitForLayers(viewer, 1)
    await waitForSharp(viewer)
    await viewer.getByTestId('band-r').selectOption('2')
    await viewer.getByTestId('band-g').selectOption('1')
    await viewer.getByTestId('band-b').selectOption('0')
    await waitForSharp(viewer)
    const composite = await shoot(viewer, 'browser-uint16-composite-321')
    await viewer.getByTestId('band-mode').selectOption('single')
    await viewer.getByTestId('band-single').selectOption('1')
    await waitForSharp(viewer)
    await viewer.getByTestId('band-mode').selectOption('rgb')
    await expect(viewer.getByTestId('band-r')).toHaveValue('2')
    await expect(viewer.getByTestId('band-g')).toHaveValue('1')
    await expect(viewer.getByTestId('band-b')).toHaveValue('0')
    await waitForSharp(viewer)
    const back = await shoot(viewer, 'browser-uint16-composite-321-again')
    for (const [x, y] of [[20, 100], [270, 100], [150, 10], [150, 170]] as const) {
      const [a, b] = [composite.image(x, y), back.image(x, y)]
      expect(Math.max(...a.map((v, i) => Math.abs(v - b[i]!))), `pixel ${x},${y}: ${a.join(',')} then ${b.join(',')}`).toBeLessThanOrEqual(2)
    }
  })
})
