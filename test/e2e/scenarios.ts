/**
 * The end-to-end scenarios, written once and run in both projects: a browser against
 * `npm run serve`, and the Electron app. Each takes a ready page (diagnostics on) and a screenshot
 * name prefix; pixels are read from screenshots at known image positions.
 */
import type { Page } from '@playwright/test'
import { BIG_JPEG, CORRUPT, ELEVATION, GEO_FLOAT, PYRAMID, QUAD, bigJpegColor, elevationValue, pyramidColor, quadColor } from './images'
import { join } from 'node:path'
import { expectPyramidBlocks, expectPyramidChecker, expectQuadrants } from './knownPixels'
import { SCREENSHOTS, dragFromCentre, dropFiles, expect, expectColor, frames, imagePath, serviceStats, setView, shoot, stats, waitForLayers, waitForSharp } from './helpers'

/**
 * Drops the pyramidal TIFF, then the PNG (drawn on top), and waits for a sharp view of both. Two
 * drops: pictures without georeferencing given together are browsed one at a time (issue 20); the
 * second, added to a view still as fitted, is fitted with the first.
 */
export async function openBoth(page: Page): Promise<void> {
  await dropFiles(page, [imagePath(PYRAMID.file)])
  await waitForLayers(page, 1)
  await dropFiles(page, [imagePath(QUAD.file)])
  await waitForLayers(page, 2)
  await waitForSharp(page)
}

/** The pyramid alone in a 1440×900 window, the camera placed at `view` and sharp there. */
async function openPyramidAt(page: Page, view: { centerX: number; centerY: number; zoom: number }): Promise<void> {
  await page.setViewportSize({ width: 1440, height: 900 })
  await dropFiles(page, [imagePath(PYRAMID.file)])
  await waitForLayers(page, 1)
  await setView(page, view)
  await waitForSharp(page)
}

/** Reads the camera from diagnostics. */
async function currentView(page: Page): Promise<{ centerX: number; centerY: number; zoom: number }> {
  return page.evaluate(() => (globalThis as unknown as { __tesseraDiagnostics: { view(): { centerX: number; centerY: number; zoom: number } } }).__tesseraDiagnostics.view())
}

/** The scenarios, by title: what each proves. */
export const scenarios: Array<{ title: string; run: (viewer: Page, prefix: string) => Promise<void> }> = [
  {
    title: 'shows an empty drop zone that says what can be dropped',
    run: async (viewer, prefix) => {
      const zone = viewer.getByTestId('drop-zone')
      await expect(zone).toBeVisible()
      await expect(zone).toContainText('Drop')
      await expect(zone).toContainText('PNG')
      await expect(zone).toContainText('TIFF')
      await expect(viewer.getByTestId('status-zoom')).toHaveText('–')
      // Highlighted while files are dragged over the window.
      const transfer = await viewer.evaluateHandle(() => {
        const g = globalThis as unknown as { DataTransfer: new () => { items: { add(f: unknown): void } }; File: new (p: unknown[], n: string) => unknown }
        const dt = new g.DataTransfer()
        dt.items.add(new g.File([new Uint8Array(4)], 'a.png'))
        return dt
      })
      await viewer.dispatchEvent('[data-testid="viewer"]', 'dragenter', { dataTransfer: transfer })
      await expect(zone).toHaveClass(/dragging/)
      await shoot(viewer, `${prefix}-empty-dragging`)
      await viewer.dispatchEvent('[data-testid="viewer"]', 'dragleave', { dataTransfer: transfer })
      await expect(zone).not.toHaveClass(/dragging/)
      await shoot(viewer, `${prefix}-empty`)
    }
  },
  {
    title: 'a dropped PNG and tiled TIFF show the right colours in the right places',
    run: async (viewer, prefix) => {
      await openBoth(viewer)
      await expect(viewer.getByTestId('drop-zone')).toBeHidden()
      await expect(viewer.getByTestId('layers')).toContainText(QUAD.file)
      await expect(viewer.getByTestId('layers')).toContainText(PYRAMID.file)
      const shot = await shoot(viewer, `${prefix}-drop-fit`)
      // The PNG (on top): the centre of each quadrant.
      expectQuadrants(shot, 'PNG')
      // The TIFF around it: block centres.
      expectPyramidBlocks(
        shot,
        [
          [8, 2],
          [2, 8],
          [20, 20],
          [31, 0],
          [0, 31]
        ],
        'TIFF block'
      )
      await expect(viewer.getByTestId('status-zoom')).toContainText('%')
    }
  },
  {
    title: 'at 100 % on a corner the pixels match the source; above it they are crisp',
    run: async (viewer, prefix) => {
      await openBoth(viewer)
      await setView(viewer, { centerX: 128, centerY: 128, zoom: 1 })
      await waitForSharp(viewer)
      await expect(viewer.getByTestId('status-zoom')).toHaveText('100 %')
      const shot = await shoot(viewer, `${prefix}-corner-100`)
      for (let by = 0; by < 16; by++) {
        for (let bx = 0; bx < 16; bx++) {
          const x = bx * 16 + 8
          const y = by * 16 + 8
          expectColor(shot.image(x, y), quadColor(x, y), `PNG pixel ${x},${y}`, 3)
        }
      }
      // Every pixel of an 8 × 8 checker in a TIFF block corner, at 400 %: nearest-neighbour, exact.
      await setView(viewer, { centerX: 3076, centerY: 2052, zoom: 4 })
      await waitForSharp(viewer)
      const crisp = await shoot(viewer, `${prefix}-corner-400`)
      expectPyramidChecker(crisp, 3072, 2048, 'TIFF pixel')
    }
  },
  {
    title: 'panning brings new tiles and the view becomes sharp again',
    run: async (viewer, prefix) => {
      await openBoth(viewer)
      await setView(viewer, { centerX: 2048, centerY: 2048, zoom: 1 })
      await waitForSharp(viewer)
      const before = await stats(viewer)
      await dragFromCentre(viewer, -40, -25)
      await waitForSharp(viewer)
      const after = await stats(viewer)
      const view = await currentView(viewer)
      expect(view.centerX).toBeGreaterThan(2048 + 300)
      expect(view.centerY).toBeGreaterThan(2048 + 150)
      expect(after.requested).toBeGreaterThan(before.requested)
      expect(after.displayed).toBeGreaterThan(before.displayed)
      const shot = await shoot(viewer, `${prefix}-pan`)
      const x = Math.floor(view.centerX / 256) * 256 + 128
      const y = Math.floor(view.centerY / 256) * 256 + 128
      expectColor(shot.image(x, y), pyramidColor(x, y), `TIFF block centre ${x},${y} after the pan`)
    }
  },
  {
    title: 'a jump asks for its tiles in the task that made it; a smaller placement waits for the next frame',
    run: async (viewer, prefix) => {
      await openPyramidAt(viewer, { centerX: 2048, centerY: 2048, zoom: 1 })
      // Placed, then read before any animation frame (`asked`: only a plan made in that task has
      // asked), and again after the frames that follow (`askedByFrames`, within ten frames).
      const place = (view: { centerX: number; centerY: number; zoom: number }): Promise<{ asked: number; framed: boolean; askedByFrames: number }> =>
        viewer.evaluate(async (v) => {
          const g = globalThis as unknown as {
            __tesseraDiagnostics: { setView(v: object): void; stats(): { requested: number } }
            requestAnimationFrame(callback: () => void): number
          }
          const d = g.__tesseraDiagnostics
          let framed = false
          g.requestAnimationFrame(() => (framed = true))
          const before = d.stats().requested
          d.setView(v)
          await Promise.resolve()
          const asked = d.stats().requested - before
          const wasFramed = framed
          for (let i = 0; i < 10 && d.stats().requested === before; i++) await new Promise((r) => g.requestAnimationFrame(() => r(null)))
          return { asked, framed: wasFramed, askedByFrames: d.stats().requested - before }
        }, view)
      // Half the zoom, two views away: a jump (a go-to, the navigator, a script).
      const jump = await place({ centerX: 6000, centerY: 5000, zoom: 0.5 })
      expect(jump.framed, 'no animation frame came in between').toBe(false)
      expect(jump.asked, 'the jump asked for its tiles at once').toBeGreaterThan(0)
      await waitForSharp(viewer)
      // A quarter of a view aside at the same zoom (an arrow key's step, a glide's frame): new tiles, asked
      // for with the frames, whose pace the camera's motion follows.
      const step = await place({ centerX: 6000 + 720, centerY: 5000, zoom: 0.5 })
      expect(step.framed).toBe(false)
      expect(step.asked, 'a step is not planned before its frame').toBe(0)
      expect(step.askedByFrames, 'the step asked for its new tiles at its frame').toBeGreaterThan(0)
      await waitForSharp(viewer)
      console.log(`[${prefix}] jump: ${jump.asked} tiles asked in its task; step: ${step.askedByFrames} at its frame`)
      const shot = await shoot(viewer, `${prefix}-jump`)
      expectColor(shot.image(6720, 5000), pyramidColor(6720, 5000), "the step's centre drawn", 3)
    }
  },
  {
    title: 'a fast zoom from fit to 16× wastes few tiles and ends crisp',
    run: async (viewer, prefix) => {
      await viewer.setViewportSize({ width: 1440, height: 900 })
      await dropFiles(viewer, [imagePath(PYRAMID.file)])
      await waitForLayers(viewer, 1)
      await waitForSharp(viewer)
      const fitted = await currentView(viewer)
      const before = await stats(viewer)
      const target = { x: 6900, y: 1500 }
      const steps = 12
      // One step per animation frame, in the page: the pace of a fast wheel or pinch zoom.
      await viewer.evaluate(
        async ({ from, to, n, x, y }) => {
          const g = globalThis as unknown as {
            __tesseraDiagnostics: {
              setView(v: { centerX: number; centerY: number; zoom: number }): void
              view(): { centerX: number; centerY: number }
            }
            requestAnimationFrame(callback: () => void): number
          }
          const start = g.__tesseraDiagnostics.view()
          for (let i = 1; i <= n; i++) {
            // Zoom at the cursor (x, y) as the wheel does: that point stays put, the centre moves towards it.
            const zoom = from * (to / from) ** (i / n)
            const k = from / zoom
            g.__tesseraDiagnostics.setView({ centerX: x + (start.centerX - x) * k, centerY: y + (start.centerY - y) * k, zoom })
            await new Promise((r) => g.requestAnimationFrame(() => r(null)))
          }
        },
        { from: fitted.zoom, to: 16, n: steps, x: target.x, y: target.y }
      )
      await waitForSharp(viewer)
      const after = await stats(viewer)
      const requested = after.requested - before.requested
      const cancelled = after.cancelled - before.cancelled
      const wasted = after.wasted - before.wasted
      console.log(`[${prefix}] fast zoom: requested ${requested}, cancelled ${cancelled}, wasted ${wasted} (late ${after.late - before.late}), displayed ${after.displayed - before.displayed}`)
      // Levels passed through are asked for only a few tiles at a time (planTiles): little to waste.
      expect(wasted).toBeLessThanOrEqual(Math.max(8, requested * 0.25))
      const shot = await shoot(viewer, `${prefix}-fast-zoom-16x`)
      expectColor(shot.image(target.x, target.y), pyramidColor(target.x, target.y), 'pixel at the zoom point', 3)
      // The checker in the nearest block corner, crisp at 1600 % although its tile was first drawn below 100 %.
      const cx = Math.ceil(target.x / 256) * 256
      const cy = Math.ceil(target.y / 256) * 256
      for (let y = cy; y < cy + 4; y++) {
        for (let x = cx; x < cx + 4; x++) expectColor(shot.image(x, y), pyramidColor(x, y), `checker pixel ${x},${y}`, 3)
      }
    }
  },
  {
    title: 'leaving a view before its tiles arrive cancels them, and the service sends none of them',
    run: async (viewer, prefix) => {
      // At 1:1 first: the jumps below are pans, so each frame asks for everything it sees.
      await openPyramidAt(viewer, { centerX: 4000, centerY: 4000, zoom: 1 })
      const before = await stats(viewer)
      const serviceBefore = await serviceStats(viewer)
      // Both views planned in one task, whose notifications go as one message (`NotifyBatch`): the
      // host has every request and the cancellation before it dispatches a tile.
      const first = await viewer.evaluate(() => {
        const d = (globalThis as unknown as { __tesseraDiagnostics: { setView(v: object): void; frameNow(): void; stats(): { requested: number } } })
          .__tesseraDiagnostics
        d.setView({ centerX: 1200, centerY: 1200, zoom: 1 })
        d.frameNow()
        const requested = d.stats().requested
        d.setView({ centerX: 7000, centerY: 7000, zoom: 1 })
        d.frameNow()
        return requested
      })
      await waitForSharp(viewer)
      const after = await stats(viewer)
      const serviceAfter = await serviceStats(viewer)
      const firstRequested = first - before.requested
      const cancelled = after.cancelled - before.cancelled
      const late = after.late - before.late
      console.log(`[${prefix}] left view: requested ${firstRequested}, cancelled ${cancelled} (service ${serviceAfter.cancelled - serviceBefore.cancelled}), late ${late}`)
      // 1440×900 at 1:1 shows ≥ 24 full-resolution tiles, none of them in the second view; flow
      // control puts at most 16 (DEFAULT_MAX_IN_FLIGHT) on their way, and every one is withdrawn.
      expect(firstRequested).toBeGreaterThanOrEqual(8)
      expect(firstRequested).toBeLessThanOrEqual(16)
      expect(cancelled).toBeGreaterThanOrEqual(firstRequested)
      // Withdrawn at the host before any was decoded: none sent. Sent as separate messages, on a
      // loaded machine 9 of them were decoded and sent before their cancellation came.
      expect(serviceAfter.cancelled - serviceBefore.cancelled).toBeGreaterThanOrEqual(firstRequested)
      expect(late).toBe(0)
      const shot = await shoot(viewer, `${prefix}-left-view`)
      expectColor(shot.image(7000, 7000), pyramidColor(7000, 7000), 'second view drawn', 3)
    }
  },
  {
    title: 'a corrupt file shows an error naming it and the earlier layers still render',
    run: async (viewer, prefix) => {
      await openBoth(viewer)
      await dropFiles(viewer, [imagePath(CORRUPT.file)])
      const error = viewer.getByTestId('error')
      await expect(error).toBeVisible()
      await expect(error).toContainText(CORRUPT.file)
      await expect(error).not.toContainText('tessera-uploads') // named as dropped, not by its temporary path
      const shot = await shoot(viewer, `${prefix}-corrupt`)
      expect(await viewer.evaluate(() => (globalThis as unknown as { __tesseraDiagnostics: { layers(): string[] } }).__tesseraDiagnostics.layers().length)).toBe(2)
      expectColor(shot.image(900, 600), quadColor(900, 600), 'PNG still drawn')
      expectColor(shot.image(3200, 3200), pyramidColor(3200, 3200), 'TIFF still drawn')
      await error.getByRole('button', { name: 'Dismiss' }).click()
      await expect(error).toHaveCount(0)
    }
  },
  {
    title: 'a big JPEG shows at once and its pyramid progress bar appears, then goes away',
    run: async (viewer, prefix) => {
      await dropFiles(viewer, [imagePath(BIG_JPEG.file)])
      await waitForLayers(viewer, 1)
      const progress = viewer.getByTestId('status-progress')
      await expect(progress.first()).toBeVisible({ timeout: 60_000 })
      await viewer.screenshot({ path: join(SCREENSHOTS, `${prefix}-big-jpeg-building.png`) })
      await expect(progress).toHaveCount(0, { timeout: 170_000 })
      await waitForSharp(viewer)
      const shot = await shoot(viewer, `${prefix}-big-jpeg-ready`)
      for (const [x, y] of [
        [1500, 850],
        [4500, 850],
        [3000, 1700],
        [1500, 2550],
        [4500, 2550]
      ] as const) {
        expectColor(shot.image(x, y), bigJpegColor(x, y), `JPEG at ${x},${y}`, 10)
      }
    }
  },
  {
    title: 'a 16-bit single-band raster is stretched on the GPU and the readout shows its original values',
    run: async (viewer, prefix) => {
      await dropFiles(viewer, [imagePath(ELEVATION.file)])
      await waitForLayers(viewer, 1)
      await setView(viewer, { centerX: 512, centerY: 384, zoom: 0.7 })
      await waitForSharp(viewer)
      const grey = await shoot(viewer, `${prefix}-elevation-grey`)
      const low = grey.image(4, 384)
      const mid = grey.image(512, 384)
      const high = grey.image(1019, 384)
      for (const [name, c] of [['low', low], ['mid', mid], ['high', high]] as const) {
        expect(Math.max(...c) - Math.min(...c), `${name} is grey: ${c.join(',')}`).toBeLessThanOrEqual(2)
      }
      expect(low[0]).toBeLessThanOrEqual(3)
      expect(high[0]).toBeGreaterThanOrEqual(252)
      expect(mid[0]).toBeGreaterThan(100)
      expect(mid[0]).toBeLessThan(155)

      // The readout under the cursor: original 16-bit values, read from the tile data.
      const box = (await viewer.getByTestId('viewer').boundingBox())!
      const view = grey.view
      const at = { x: 300, y: 200 }
      await viewer.mouse.move(box.x + (at.x + 0.5 - view.centerX) * view.zoom + view.width / 2, box.y + (at.y + 0.5 - view.centerY) * view.zoom + view.height / 2)
      await expect(viewer.getByTestId('status-position')).toHaveText(`x ${at.x}  y ${at.y}`)
      await expect(viewer.getByTestId('status-value')).toHaveText(String(elevationValue(at.x, at.y)))

      await viewer.getByLabel('Colour map', { exact: true }).selectOption('viridis')
      await frames(viewer, 2)
      const coloured = await shoot(viewer, `${prefix}-elevation-viridis`)
      const [r, g, b] = coloured.image(512, 384)
      expect(g, `viridis mid is green-blue: ${r},${g},${b}`).toBeGreaterThan(r + 60)
    }
  },
  {
    title: 'keys zoom to 100 % and fit; the wheel zooms at the cursor',
    run: async (viewer, prefix) => {
      await dropFiles(viewer, [imagePath(QUAD.file)])
      await waitForLayers(viewer, 1)
      await waitForSharp(viewer)
      const fitted = await currentView(viewer)
      const box = (await viewer.getByTestId('viewer').boundingBox())!
      await viewer.mouse.move(box.x + 40, box.y + 40)
      await viewer.keyboard.press('1')
      await expect(viewer.getByTestId('status-zoom')).toHaveText('100 %')
      await viewer.keyboard.press('0')
      await expect.poll(async () => (await currentView(viewer)).zoom).toBeCloseTo(fitted.zoom, 5)
      // The image point under the cursor stays under it while the wheel zooms in.
      const cursor = { x: box.width * 0.3, y: box.height * 0.4 }
      const toImage = (v: { centerX: number; centerY: number; zoom: number }) => ({
        x: (cursor.x - box.width / 2) / v.zoom + v.centerX,
        y: (cursor.y - box.height / 2) / v.zoom + v.centerY
      })
      const before = toImage(await currentView(viewer))
      await viewer.mouse.move(box.x + cursor.x, box.y + cursor.y)
      for (let i = 0; i < 5; i++) await viewer.mouse.wheel(0, -100)
      await waitForSharp(viewer)
      const zoomed = await currentView(viewer)
      expect(zoomed.zoom).toBeGreaterThan(fitted.zoom * 1.5)
      const after = toImage(zoomed)
      expect(Math.abs(after.x - before.x)).toBeLessThan(2)
      expect(Math.abs(after.y - before.y)).toBeLessThan(2)
      await shoot(viewer, `${prefix}-wheel-zoom`)
      // Resizing the window keeps the same image point at the centre.
      const size = viewer.viewportSize()!
      const viewerWidth = (await viewer.getByTestId('viewer').boundingBox())!.width
      await viewer.setViewportSize({ width: size.width - 200, height: size.height - 100 })
      await expect.poll(async () => (await viewer.evaluate(() => (globalThis as unknown as { __tesseraDiagnostics: { view(): { width: number } } }).__tesseraDiagnostics.view().width))).toBe(viewerWidth - 200)
      await expect.poll(async () => (await currentView(viewer)).centerX).toBeCloseTo(zoomed.centerX, 3)
      expect((await currentView(viewer)).centerY).toBeCloseTo(zoomed.centerY, 3)
      expect((await currentView(viewer)).zoom).toBeCloseTo(zoomed.zoom, 5)
      await viewer.setViewportSize(size)
    }
  },
  {
    title: 'a float GeoTIFF shows map coordinates and values under the cursor, no-data over the checkerboard',
    run: async (viewer, prefix) => {
      await dropFiles(viewer, [imagePath(GEO_FLOAT.file)])
      await waitForLayers(viewer, 1)
      await setView(viewer, { centerX: 40, centerY: 30, zoom: 8 })
      await waitForSharp(viewer)
      const shot = await shoot(viewer, `${prefix}-geotiff`)
      // Row 0 is no-data: transparent, so the checkerboard shows through (grey 204 or 153).
      for (const x of [10, 20, 30, 40, 50]) {
        const [r, g, b] = shot.image(x, 0)
        expect(r === g && g === b && (Math.abs(r - 204) <= 2 || Math.abs(r - 153) <= 2), `no-data at ${x},0 shows the checkerboard: ${r},${g},${b}`).toBe(true)
      }
      const box = (await viewer.getByTestId('viewer').boundingBox())!
      const at = { x: 44, y: 30 }
      const view = shot.view
      await viewer.mouse.move(box.x + (at.x + 0.5 - view.centerX) * view.zoom + view.width / 2, box.y + (at.y + 0.5 - view.centerY) * view.zoom + view.height / 2)
      await expect(viewer.getByTestId('status-position')).toHaveText(`x ${at.x}  y ${at.y}`)
      await expect(viewer.getByTestId('status-value')).toHaveText(String(100 + at.x / 2 - at.y / 4))
      const map = viewer.getByTestId('status-map')
      await expect(map).toContainText('500089.00')
      await expect(map).toContainText('5999939.00')
      await expect(map).toContainText('EPSG:32631')
      await viewer.getByTestId('layers').getByText('Info').click()
      await expect(viewer.getByTestId('layers')).toContainText('EPSG:32631')
      await expect(viewer.getByTestId('layers')).toContainText('float32')
      await shoot(viewer, `${prefix}-geotiff-info`)
    }
  }
]
