/**
 * Issue 24 in a browser against `npm run serve`: a COG written by GDAL, served by Debian's nginx on
 * a loopback port, opened by its URL (Ctrl+L, and dropped as a link), drawn, panned and zoomed, its
 * info showing the URL, size and date; a 404 said naming the URL (the scenario is
 * test/e2e/openUrl.ts, shared with the Electron twin); and, the browser's own case, a URL layer
 * opened again from its URL when the WebSocket is lost and comes back. GDAL and nginx are
 * required: without them this fails with the reason.
 */

/** The diagnostics of the WebSocket connection (browser host). */
interface SocketGlobals {
  __tesseraDiagnostics: { connected(): boolean; dropConnection(): void }
}

import { expect, openTimeline, setView, stats, test, waitForLayers, waitForSharp } from '../helpers'
import { expectOpenUrlScenario, serveTestCogs, typeUrl, type ServedCogs } from '../openUrl'

test.describe('open a raster by URL, in a browser', () => {
  let cogs: ServedCogs | undefined

  test.beforeAll(async () => {
    cogs = await serveTestCogs()
  })

  test.afterAll(async () => {
    await cogs?.close()
  })

  test('Ctrl+L opens a COG served by nginx: drawn, panned, zoomed, its info; a 404 is said and the next URL, dropped, opens', async ({ viewer }) => {
    await expectOpenUrlScenario(viewer, cogs!, 'browser')
  })

  test('a layer opened by URL is opened again from its URL when the connection comes back', async ({ viewer }) => {
    const { server, pyramidUrl } = cogs!
    await typeUrl(viewer, pyramidUrl)
    await waitForLayers(viewer, 1)
    await waitForSharp(viewer)
    server.clearAccessLog()
    await viewer.evaluate(() => (globalThis as unknown as SocketGlobals).__tesseraDiagnostics.dropConnection())
    await expect(viewer.locator('#errors')).toContainText('Connection to the Tessera service lost')
    await expect.poll(() => viewer.evaluate(() => (globalThis as unknown as SocketGlobals).__tesseraDiagnostics.connected()), { timeout: 30_000 }).toBe(true)
    // The new connection knows no raster of the old one (it may give the same id to another): the
    // page asks the host for the URL again, which reads it from nginx.
    const opens = async (): Promise<number> => (await openTimeline(viewer)).filter((e) => e.step === 'opened' && e.name === 'ortho cog.tif').length
    await expect.poll(opens, { timeout: 60_000 }).toBe(2)
    await waitForLayers(viewer, 1)
    await expect(viewer.getByTestId('layer-name')).toHaveText(['ortho cog.tif'])
    expect(server.accessLog().some((entry) => entry.uri === '/cogs/ortho cog.tif')).toBe(true)
    await waitForSharp(viewer)
    const displayed = (await stats(viewer)).displayed
    await setView(viewer, { centerX: 6000, centerY: 6000, zoom: 1 })
    await waitForSharp(viewer)
    expect((await stats(viewer)).displayed).toBeGreaterThan(displayed)
  })
})
