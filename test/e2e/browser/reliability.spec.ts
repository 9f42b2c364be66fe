/**
 * Reliability in a browser against `npm run serve` started with two files on its command line:
 * the WebSocket dropped in the middle of streaming (the bridge reconnects, the host opens the
 * command-line files again on the new connection, the view comes back sharp without duplicated
 * layers), and a seeded random walk over both layers (TESSERA_SOAK_SECONDS, default 60 s; 600 for the long soak).
 *
 * The connection is dropped from the page side, through the diagnostics (`dropConnection`): the
 * socket lives in the page's tile worker, which closes it as a lost connection ends; the bridge
 * sees it closed and reconnects.
 */
import type { Page } from '@playwright/test'
import { seededRandom } from '../../helpers/seededRandom'
import { ELEVATION, PYRAMID, QUAD } from '../images'
import { mb, memoryAtRest, serveHostPid } from '../memory'
import { dropFiles, expect, imagePath, setView, startServe, stats, test, waitForLayers, waitForReady, waitForSharp, watchProblems } from '../helpers'

interface SocketGlobals {
  __tesseraDiagnostics: {
    connected(): boolean
    dropConnection(): void
    layers(): string[]
    stats(): { displayed: number; requested: number; pending: number }
    setView(view: { centerX: number; centerY: number; zoom: number }): void
    frameNow(): void
  }
  document: { getElementById(id: string): { textContent: string | null } | null }
}

/** Budget of the texture cache for these pages, in MB (`?budget=`). */
const BUDGET_MB = 64

/** Starts a host with both files on its command line and opens a page on it. */
async function openWithCommandLineFiles(page: Page): Promise<Awaited<ReturnType<typeof startServe>>> {
  const server = await startServe([imagePath(PYRAMID.file), imagePath(QUAD.file)])
  await page.goto(`${server.url}&diagnostics&budget=${BUDGET_MB}`)
  await waitForReady(page)
  return server
}

function layerIds(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as SocketGlobals).__tesseraDiagnostics.layers())
}

function connected(page: Page): Promise<boolean> {
  return page.evaluate(() => (globalThis as unknown as SocketGlobals).__tesseraDiagnostics.connected())
}


/**
 * The two command-line pictures (no georeferencing, given together) are browsed one at a time
 * (issue 20); these tests are about both layers at once: b stacks them.
 */
async function stackTheBrowsedPictures(page: Page): Promise<void> {
  await expect(page.getByTestId('toolbar-mode')).toHaveAttribute('data-mode', 'browse')
  await page.keyboard.press('b')
  await expect(page.getByTestId('toolbar-mode')).toHaveAttribute('data-mode', 'stack')
}

test.describe('reliability in a browser', () => {
  test('the WebSocket dropped mid-stream: the bridge reconnects, the command-line layers come back once, a dropped file is opened again, and the view is sharp again', async ({ page }) => {
    const problems = watchProblems(page)
    const server = await openWithCommandLineFiles(page)
    try {
      await waitForLayers(page, 2)
      await stackTheBrowsedPictures(page)
      await waitForSharp(page)
      const before = await layerIds(page)
      expect(before).toHaveLength(2)
      // A file the user dropped: the new connection does not know its raster, so the viewer uploads it again.
      await dropFiles(page, [imagePath(ELEVATION.file)])
      await waitForLayers(page, 3)

      // At 1:1, pan so that tiles are in flight, and drop the connection in the same task: they
      // are certainly still on their way.
      await setView(page, { centerX: 2000, centerY: 2000, zoom: 1 })
      await waitForSharp(page)
      const inFlight = await page.evaluate(() => {
        const g = globalThis as unknown as SocketGlobals
        g.__tesseraDiagnostics.setView({ centerX: 3500, centerY: 3000, zoom: 1 })
        g.__tesseraDiagnostics.frameNow()
        const pending = g.__tesseraDiagnostics.stats().pending
        g.__tesseraDiagnostics.dropConnection()
        return pending
      })
      expect(inFlight).toBeGreaterThan(0)
      await expect(page.locator('#errors')).toContainText('Connection to the Tessera service lost')

      // A new socket opens; the host opens both files again on it; the viewer keeps one layer each.
      await expect.poll(() => connected(page), { timeout: 30_000 }).toBe(true)
      await waitForSharp(page)
      await waitForLayers(page, 3)
      const after = await layerIds(page)
      expect(after.slice(0, 2)).toEqual(before)
      expect(after).toHaveLength(3)
      await expect(page.getByTestId('layers')).toContainText(ELEVATION.file)
      expect(await page.getByTestId('layers').getByText(ELEVATION.file, { exact: true }).count()).toBe(1)
      await expect(page.getByTestId('layers')).toContainText(PYRAMID.file)
      await expect(page.getByTestId('layers')).toContainText(QUAD.file)
      expect(await page.getByTestId('layers').getByText(QUAD.file, { exact: true }).count()).toBeLessThanOrEqual(1)

      // New tiles arrive over the new connection.
      const displayed = (await stats(page)).displayed
      await setView(page, { centerX: 6500, centerY: 6500, zoom: 1 })
      await waitForSharp(page)
      expect((await stats(page)).displayed).toBeGreaterThan(displayed)
      // Nothing asked for a raster the new connection does not know.
      await expect(page.locator('#errors')).not.toContainText('Expected the id of an open raster')
    } finally {
      await server.stop()
    }
    expect(problems().filter((p) => !/WebSocket/.test(p))).toEqual([])
  })

  test('a seeded random walk over two layers: at rest nothing is pending, textures stay within the budget, no page errors', async ({ page }) => {
    const seconds = Number(process.env.TESSERA_SOAK_SECONDS) || 60
    test.setTimeout(180_000 + seconds * 2_000)
    const problems = watchProblems(page)
    const server = await openWithCommandLineFiles(page)
    try {
      await waitForLayers(page, 2)
      await stackTheBrowsedPictures(page)
      await waitForSharp(page)
      const random = seededRandom(20261124)
      let steps = 0
      const walk = async (forSeconds: number): Promise<void> => {
        const end = Date.now() + forSeconds * 1000
        while (Date.now() < end) {
          const zoom = 2 ** (-5 + random() * 7) // 1/32 … 4 screen pixels per image pixel
          await setView(page, { centerX: random() * PYRAMID.width, centerY: random() * PYRAMID.height, zoom })
          await page.waitForTimeout(20 + random() * 180)
          steps++
        }
        await waitForSharp(page)
      }
      // A first quarter warms every cache up to its budget; memory is then compared at rest, after the rest of the walk.
      await walk(seconds / 4)
      const before = await memoryAtRest(page, serveHostPid(server.process.pid!))
      await walk((seconds * 3) / 4)
      const after = await memoryAtRest(page, serveHostPid(server.process.pid!))
      console.log(
        `[soak] ${steps} steps in ${seconds} s: page JS heap ${mb(before.heap)} → ${mb(after.heap)} MB, host RSS ${mb(before.rss)} → ${mb(after.rss)} MB`
      )
      const at = await stats(page)
      expect(at.pending).toBe(0)
      expect(at.textureBytes).toBeLessThanOrEqual(BUDGET_MB * 1024 * 1024)
      expect(at.displayed).toBeGreaterThan(0)
      expect(steps).toBeGreaterThan(0)
      // Flat within a tolerance: caches are full after the warm-up, so further browsing must not grow memory.
      expect(after.heap - before.heap).toBeLessThan(32 * 1024 * 1024)
      expect(after.rss - before.rss).toBeLessThan(256 * 1024 * 1024)
      expect(await layerIds(page)).toHaveLength(2)
    } finally {
      await server.stop()
    }
    expect(problems()).toEqual([])
  })
})
