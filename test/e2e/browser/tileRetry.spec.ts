/**
 * A remote COG whose server fails for a while, in a browser against `npm run serve`: the COG,
 * written by GDAL, is served by Debian's nginx behind the fault proxy, opened by its URL and drawn;
 * then the proxy answers 503 to every read while the person moves to a part of the raster not yet
 * read. Those tiles fail ('unavailable': the server's failure, not the data's), the layer's message
 * says they are asked again, and the view has holes. The server recovers; with no action from the
 * person, the renderer asks for the failed tiles again and the view becomes whole with the file's
 * colours. GDAL and nginx are required: without them this fails with the reason.
 */
import { startFaultProxy, type FaultProxy } from '../../helpers/faultProxy'
import { expect, expectColor, setView, shoot, stats, test, waitForLayers, waitForSharp } from '../helpers'
import { pyramidColor } from '../images'
import { serveTestCogs, typeUrl, type ServedCogs } from '../openUrl'

test.describe('a remote COG whose server fails for a while, in a browser', () => {
  let cogs: ServedCogs | undefined
  let proxy: FaultProxy | undefined

  test.beforeAll(async () => {
    cogs = await serveTestCogs()
    proxy = await startFaultProxy(cogs.server.port)
  })

  test.afterAll(async () => {
    await proxy?.close()
    await cogs?.close()
  })

  test('tiles that failed with 503 are asked again once the server is back, and the view becomes whole by itself', async ({ viewer }) => {
    const url = proxy!.url('/cogs/ortho%20cog.tif')
    await typeUrl(viewer, url)
    await waitForLayers(viewer, 1)
    await waitForSharp(viewer)

    // The server fails every read from now on; the person goes where nothing was read yet (level 0).
    proxy!.always = { status: 503, headers: { 'content-type': 'text/plain' } }
    const failingFrom = proxy!.requests.length
    const view = { centerX: 6000, centerY: 5000, zoom: 1 }
    await setView(viewer, view)
    const error = viewer.getByTestId('error').filter({ hasText: 'ortho cog.tif' })
    await expect(error).toHaveCount(1)
    await expect(error).toHaveAttribute('data-text', /503.*\(asked again while it is on screen\)/)
    expect((await stats(viewer)).sharp, 'holes where the tiles failed').toBe(false)
    // Still down: the failed tiles are asked again (after 1 s, then 2 s…), and fail again.
    const failedReads = (): number => proxy!.requests.slice(failingFrom).filter((r) => r.status === 503).length
    const firstFailures = failedReads()
    await expect.poll(failedReads, { timeout: 30_000 }).toBeGreaterThan(firstFailures)
    expect((await stats(viewer)).sharp).toBe(false)

    // The server is back. Nothing is done in the page: the view becomes whole by itself.
    proxy!.always = null
    const recoveredFrom = proxy!.requests.length
    await waitForSharp(viewer, 60_000)
    expect(proxy!.requests.slice(recoveredFrom).some((r) => r.status === 206), 'the failed tiles were read again').toBe(true)
    const shot = await shoot(viewer, 'browser-tile-retry-whole')
    expect(shot.view).toMatchObject(view)
    const half = { x: shot.view.width / 2, y: shot.view.height / 2 }
    // The lower half and the centre: the error list covers the top of the view.
    for (const [dx, dy] of [
      [0, 0],
      [-0.8, 0.2],
      [0.8, 0.2],
      [-0.8, 0.8],
      [0, 0.8],
      [0.8, 0.8]
    ] as const) {
      // The middle of the block under that point of the screen: its colour, as the file has it.
      const x = Math.floor((view.centerX + dx * half.x) / 256) * 256 + 128
      const y = Math.floor((view.centerY + dy * half.y) / 256) * 256 + 128
      expectColor(shot.image(x, y), pyramidColor(x, y), `block centre ${x},${y} after the server came back`)
    }
  })
})
