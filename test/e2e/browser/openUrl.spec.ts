/**
 * Issue 24 in a browser against `npm run serve`: a COG written by GDAL, served by Debian's nginx on
 * a loopback port, opened by its URL (Ctrl+L, and dropped as a link), drawn, panned and zoomed, its
 * info showing the URL, size and date; a 404 said naming the URL. The scenario is
 * test/e2e/openUrl.ts. GDAL and nginx are required: without them this fails with the reason.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { requireGdal } from '../../helpers/gdal'
import { requireNginx } from '../../helpers/nginx'
import { imagePath, test } from '../helpers'
import { PYRAMID, QUAD } from '../images'
import { expectOpenUrlScenario, serveCogs, type UrlFixture } from '../openUrl'

test.describe('open a raster by URL, in a browser', () => {
  let root = ''
  let cogs: UrlFixture | undefined

  test.beforeAll(async () => {
    requireGdal()
    requireNginx()
    root = mkdtempSync(join(tmpdir(), 'tessera-e2e-url-'))
    cogs = await serveCogs(root, { pyramid: imagePath(PYRAMID.file), quad: imagePath(QUAD.file) })
  })

  test.afterAll(async () => {
    await cogs?.server.stop()
    if (root) rmSync(root, { recursive: true, force: true })
  })

  test('Ctrl+L opens a COG served by nginx: drawn, panned, zoomed, its info; a 404 is said and the next URL, dropped, opens', async ({ viewer }) => {
    await expectOpenUrlScenario(viewer, cogs!, 'browser')
  })
})
