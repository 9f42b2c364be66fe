/**
 * Issue 15 in a browser against `npm run serve`: the scenarios of viewerUi.ts, and what only a
 * browser has: its file picker (Open… and Ctrl+O, with a type filter), a page opened without its
 * token, and the view saved as PNG through a download.
 */
import { join } from 'node:path'
import { dropFiles, expect, expectColor, imagePath, startServe, test, waitForLayers, waitForReady, waitForSharp, SCREENSHOTS } from '../helpers'
import { QUAD, quadColor } from '../images'
import { exportScenarios, layerScenarios, refitScenarios, stretchScenarios, openQuad, openingScenarios, pngColor, uiScenarios, viewOf, writeUiImages } from '../viewerUi'

test.beforeAll(async () => {
  await writeUiImages()
})

test.describe('the viewer a person expects, in a browser', () => {
  for (const scenario of [...uiScenarios, ...openingScenarios, ...refitScenarios, ...layerScenarios, ...stretchScenarios, ...exportScenarios]) {
    test(scenario.title, async ({ viewer }) => scenario.run(viewer, 'browser-ui'))
  }

  test('Open… stays on screen once a file is open, and it and Ctrl+O show a picker filtered to images', async ({ viewer }) => {
    await openQuad(viewer)
    await expect(viewer.getByTestId('open-input')).toHaveAttribute('accept', /\.tif,\.tiff,\.png,\.jpg/)
    const chooser = viewer.waitForEvent('filechooser')
    await viewer.getByTestId('toolbar-open').click()
    await (await chooser).setFiles([imagePath('browse-red.png')])
    await waitForLayers(viewer, 2)
    // Ctrl+O with the focus on the page. Under a loaded machine Chromium once let a picker shown
    // right after another go unannounced: the key is pressed again then (as a person would), at most twice.
    await viewer.getByTestId('status').click()
    let picker = null
    for (let attempt = 0; attempt < 3 && !picker; attempt++) {
      const next = viewer.waitForEvent('filechooser', { timeout: 15_000 }).catch(() => null)
      await viewer.keyboard.press('Control+o')
      picker = await next
    }
    if (!picker) throw new Error('Expected Ctrl+O to show the file picker but none was shown after three presses')
    expect(picker.isMultiple()).toBe(true)
    await picker.setFiles([imagePath('browse-blue.png')])
    await waitForLayers(viewer, 3)
    await expect(viewer.getByTestId('layer-name').first()).toHaveText('browse-blue.png')
  })

  test('Ctrl+S saves the view as a PNG: the picture on screen', async ({ viewer }) => {
    await openQuad(viewer)
    const view = await viewOf(viewer)
    const download = viewer.waitForEvent('download')
    await viewer.keyboard.press('Control+s')
    const file = await download
    expect(file.suggestedFilename()).toBe('quad-view.png')
    const path = join(SCREENSHOTS, 'browser-ui-saved-view.png')
    await file.saveAs(path)
    const png = await pngColor(path)
    expect(png.width).toBe(view.width)
    expect(png.height).toBe(view.height)
    for (const [x, y] of [
      [900, 200],
      [300, 600],
      [900, 600],
      [500, 300]
    ] as const) {
      expectColor(png.at((x + 0.5 - view.centerX) * view.zoom + view.width / 2, (y + 0.5 - view.centerY) * view.zoom + view.height / 2), quadColor(x, y), `saved PNG at image ${x},${y}`)
    }
    await expect(viewer.getByTestId('toast')).toContainText('Saved the view as quad-view.png')
  })

  test('Save PNG at 2×: the same view drawn at twice the pixels, then the window as it was', async ({ viewer }) => {
    await openQuad(viewer)
    const view = await viewOf(viewer)
    await viewer.getByTestId('export-scale').selectOption('2')
    const download = viewer.waitForEvent('download')
    await viewer.getByTestId('toolbar-export').click()
    const file = await download
    expect(file.suggestedFilename()).toBe('quad-view-2x.png')
    const path = join(SCREENSHOTS, 'browser-ui-saved-view-2x.png')
    await file.saveAs(path)
    const png = await pngColor(path)
    expect(png.width).toBe(view.width * 2)
    expect(png.height).toBe(view.height * 2)
    const zoom = view.zoom * 2
    for (const [x, y] of [
      [900, 200],
      [300, 600],
      [900, 600],
      [3 * 16 + 8, 2 * 16 + 8],
      [10 * 16 + 8, 12 * 16 + 8]
    ] as const) {
      expectColor(png.at((x + 0.5 - view.centerX) * zoom + view.width, (y + 0.5 - view.centerY) * zoom + view.height), quadColor(x, y), `2× PNG at image ${x},${y}`)
    }
    await expect(viewer.getByTestId('toast')).toContainText('(2000 × 1280)'.replace('2000', String(view.width * 2)).replace('1280', String(view.height * 2)))
    const after = await viewOf(viewer)
    expect(after.width).toBe(view.width)
    expect(after.zoom).toBeCloseTo(view.zoom, 9)
    expect(after.centerX).toBeCloseTo(view.centerX, 6)
  })

  test('a page without its token says it never connected and how to fix it; a drop then is refused where it is seen', async ({ page, serveUrl }) => {
    await page.goto(serveUrl.replace(/token=[^&]+/, 'token=stale') + '&diagnostics')
    await waitForReady(page)
    const error = page.getByTestId('error').filter({ hasText: 'Could not connect to the Tessera host' })
    await expect(error).toBeVisible()
    await expect(error).toContainText('npm run serve')
    await expect(error).toContainText('token')
    await dropFiles(page, [imagePath(QUAD.file)])
    await expect(page.getByTestId('error').filter({ hasText: `Could not open ${QUAD.file}` })).toBeVisible()
    await expect(page.getByTestId('layer')).toHaveCount(0)
    await page.screenshot({ path: join(SCREENSHOTS, 'browser-ui-no-token.png') })
  })
})

export { startServe, waitForSharp }
