/**
 * Issue 24 end to end, the renderer's side: a COG that GDAL wrote, served by a real nginx, opened by
 * its URL. Open URL… (Ctrl+L) refuses what is not an http(s) URL in the dialog, opens the URL
 * typed, and the layer draws the file's pixels, through a pan and a zoom to 400 %; its info shows
 * the URL, the server's size and the file's date; a URL the server answers 404 says
 * `Cannot open <url>: … 404 …` in the error list, and the next URL still opens; a URL dropped
 * (text/uri-list, as a browser's link gives it) opens too, on top; a `file:` URL pasted on the
 * window is refused in words; the URLs opened are offered again, the one that failed is not. Written once for a page of either host.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { gdal, requireGdal } from '../helpers/gdal'
import { requireNginx, startNginx, type NginxServer } from '../helpers/nginx'
import { dragFromCentre, expect, expectColor, imagePath, setView, shoot, stats, waitForLayers, waitForSharp } from './helpers'
import { PYRAMID, QUAD, pyramidColor } from './images'
import { expectPyramidBlocks, expectPyramidChecker, expectQuadrants } from './knownPixels'

/** Where the COGs are served from, and their URLs. */
export interface UrlFixture {
  server: NginxServer
  /** The 8192² tiled TIFF as a deflate COG (256-px blocks, GDAL's overviews), named with a space. */
  pyramidUrl: string
  pyramidPath: string
  /** The 1200 × 800 PNG as a deflate COG. */
  quadUrl: string
  /** A path nginx answers 404. */
  missingUrl: string
}

/** The served COGs and the folder they are in: `close()` stops nginx and removes the folder. */
export interface ServedCogs extends UrlFixture {
  close(): Promise<void>
}

/**
 * PYRAMID and QUAD written as COGs by GDAL into a new temporary folder (its `cogs/`), served by
 * nginx. GDAL and nginx are required: without them this fails with the reason.
 */
export async function serveTestCogs(): Promise<ServedCogs> {
  requireGdal()
  requireNginx()
  const root = mkdtempSync(join(tmpdir(), 'tessera-e2e-cogs-'))
  const removeRoot = (): void => rmSync(root, { recursive: true, force: true })
  try {
    const dir = join(root, 'cogs')
    mkdirSync(dir, { recursive: true, mode: 0o755 })
    const pyramidPath = join(dir, 'ortho cog.tif')
    const quadPath = join(dir, 'quad-cog.tif')
    const cog = ['-q', '-of', 'COG', '-co', 'COMPRESS=DEFLATE', '-co', 'BLOCKSIZE=256']
    await gdal('gdal_translate', [...cog, imagePath(PYRAMID.file), pyramidPath])
    await gdal('gdal_translate', [...cog, imagePath(QUAD.file), quadPath])
    const server = await startNginx(root)
    return {
      server,
      pyramidUrl: server.url('/cogs/ortho%20cog.tif'),
      pyramidPath,
      quadUrl: server.url('/cogs/quad-cog.tif'),
      missingUrl: server.url('/cogs/missing.tif'),
      close: async () => {
        await server.stop()
        removeRoot()
      }
    }
  } catch (error) {
    removeRoot()
    throw error
  }
}

/** Presses Ctrl+L, types `text` in Open URL… and presses Enter. */
export async function typeUrl(page: Page, text: string): Promise<void> {
  await page.keyboard.press('Control+L')
  const input = page.getByTestId('open-url-input')
  await expect(input).toBeVisible()
  await expect(input).toBeFocused()
  await input.fill(text)
  await input.press('Enter')
}

/** Drops `url` on the viewer as a browser's link is dragged: text/uri-list and text/plain, no files. */
async function dropUrl(page: Page, url: string): Promise<void> {
  const transfer = await page.evaluateHandle((u) => {
    const g = globalThis as unknown as { DataTransfer: new () => { setData(type: string, data: string): void } }
    const dt = new g.DataTransfer()
    dt.setData('text/uri-list', `# dragged from a page\r\n${u}\r\n`)
    dt.setData('text/plain', u)
    return dt
  }, url)
  for (const type of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent('[data-testid="viewer"]', type, { dataTransfer: transfer })
}

/** Pastes `text` on the window as Ctrl+V does outside a text field (a paste event whose clipboard holds text). */
async function pasteText(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => {
    const g = globalThis as unknown as {
      DataTransfer: new () => { setData(type: string, data: string): void }
      ClipboardEvent: new (type: string, init: { clipboardData: unknown; bubbles: boolean; cancelable: boolean }) => unknown
      document: { body: { dispatchEvent(event: unknown): boolean } }
    }
    const data = new g.DataTransfer()
    data.setData('text/plain', t)
    g.document.body.dispatchEvent(new g.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
  }, text)
}

/** The layer's description, its Info opened. */
export async function layerInfo(page: Page, name: string): Promise<string> {
  const row = page.getByTestId('layer').filter({ hasText: name })
  await row.locator('details.layer-info > summary').click()
  return (await row.locator('.info-table').innerText()).replace(/\s+/g, ' ')
}

/** The scenario: a page of the viewer (empty, ready) and the served COGs. */
export async function expectOpenUrlScenario(page: Page, cogs: UrlFixture, prefix: string): Promise<void> {
  // Not an http(s) URL: said in the dialog, which stays open, and nothing is asked of the host.
  await typeUrl(page, 'ftp://example.com/dem.tif')
  await expect(page.getByTestId('open-url-message')).toHaveText('Cannot open ftp://example.com/dem.tif: only http:// and https:// URLs open, not ftp: ones')
  await expect(page.getByTestId('open-url')).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('open-url')).toBeHidden()

  // The COG by its URL: drawn with the file's colours, named by the URL's last segment.
  await typeUrl(page, cogs.pyramidUrl)
  await expect(page.getByTestId('open-url')).toBeHidden()
  await waitForLayers(page, 1)
  await expect(page.getByTestId('layer-name')).toHaveText('ortho cog.tif')
  await waitForSharp(page)
  const fitted = await shoot(page, `${prefix}-url-fit`)
  expectPyramidBlocks(
    fitted,
    [
      [2, 2],
      [8, 20],
      [20, 8],
      [29, 29]
    ],
    'at the fit, COG block'
  )

  // A pan by the mouse: new blocks read from the server, the view sharp again with the right colours.
  await setView(page, { centerX: 2048, centerY: 2048, zoom: 0.5 })
  await waitForSharp(page)
  const before = await stats(page)
  await dragFromCentre(page, -30, -20)
  await waitForSharp(page)
  const after = await stats(page)
  expect(after.displayed).toBeGreaterThan(before.displayed)
  const panned = await shoot(page, `${prefix}-url-pan`)
  const centreX = Math.floor(panned.view.centerX / 256) * 256 + 128
  const centreY = Math.floor(panned.view.centerY / 256) * 256 + 128
  expect(centreX).toBeGreaterThan(2048 + 256)
  expectColor(panned.image(centreX, centreY), pyramidColor(centreX, centreY), `COG block centre ${centreX},${centreY} after the pan`)

  // A zoom to 400 % on a block's corner: level 0 from the server, every pixel of the checker exact.
  await setView(page, { centerX: 5124, centerY: 3076, zoom: 4 })
  await waitForSharp(page)
  const crisp = await shoot(page, `${prefix}-url-400`)
  expectPyramidChecker(crisp, 5120, 3072, 'COG pixel')

  // The info: the URL as text, the server's size in bytes, the file's date (nginx's Last-Modified is its mtime).
  const file = statSync(cogs.pyramidPath)
  const info = await layerInfo(page, 'ortho cog.tif')
  expect(info).toContain(`URL ${cogs.pyramidUrl}`)
  expect(info).toContain(`(${file.size.toLocaleString('en-US')} bytes)`)
  expect(info).toContain(`File date ${new Date(Math.floor(file.mtimeMs / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC`)
  expect(info).not.toContain('whole: the server ignores Range requests')
  await expect(page.getByTestId('layer').locator('.info-table a')).toHaveCount(0) // text, not a link

  // 404: said naming the URL and the status; the layer open keeps its place.
  await typeUrl(page, cogs.missingUrl)
  const error = page.getByTestId('error').filter({ hasText: cogs.missingUrl })
  await expect(error).toHaveCount(1)
  await expect(error).toHaveAttribute('data-text', new RegExp(`^Cannot open ${escapeRegExp(cogs.missingUrl)}: .*404`))
  await expect(page.getByTestId('layer')).toHaveCount(1)

  // The next URL still opens, dropped as a browser's link: on top, with its own pixels.
  await dropUrl(page, cogs.quadUrl)
  await waitForLayers(page, 2)
  await expect(page.getByTestId('layer-name').first()).toHaveText('quad-cog.tif')
  await page.getByTestId('layer').filter({ hasText: 'quad-cog.tif' }).getByTestId('layer-zoom').click()
  await waitForSharp(page)
  expectQuadrants(await shoot(page, `${prefix}-url-drop`), 'dropped COG')

  // A URL of another scheme pasted on the window (not in a text field): refused in words, nothing opened.
  await pasteText(page, 'file:///etc/passwd')
  await expect(page.getByTestId('error').filter({ hasText: 'file:///etc/passwd' })).toHaveAttribute('data-text', 'Cannot open file:///etc/passwd: only http:// and https:// URLs open, not file: ones')
  await expect(page.getByTestId('layer')).toHaveCount(2)

  // The URLs opened are offered again, newest first; the one that failed is not.
  await page.keyboard.press('Control+L')
  // (The first two: a host whose storage outlives the page, Electron's, lists older runs' URLs after them.)
  const recent = page.getByTestId('open-url-recent-item')
  await expect(recent.nth(0)).toHaveText(cogs.quadUrl)
  await expect(recent.nth(1)).toHaveText(cogs.pyramidUrl)
  await expect(page.getByTestId('open-url-recent')).not.toContainText(cogs.missingUrl)
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('open-url')).toBeHidden()
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
