/**
 * Issue 23's class legend in a browser against `npm run serve` (`../classLegend.ts`): a land cover
 * written by GDAL, named on the host's command line so that the `.aux.xml` beside it is read (a
 * dropped file is uploaded alone), lists its classes and hides the ones unticked.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, startServe, test, waitForLayers, waitForReady, watchProblems } from '../helpers'
import { requireGdal } from '../../helpers/gdal'
import { expectClassLegend, writeLegendCover } from '../classLegend'

test.describe('the class legend of a paletted layer, in a browser', () => {
  let dir = ''
  test.beforeAll(() => {
    requireGdal() // CI installs gdal-bin: without it this fails with the reason, never skips
    dir = mkdtempSync(join(tmpdir(), 'tessera-class-legend-'))
  })
  test.afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test('lists the six classes a land cover uses, of its 256 palette entries, and unticking a class makes its pixels transparent', async ({ browser }) => {
    const path = await writeLegendCover(dir)
    const server = await startServe([path])
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } })
    const problems = watchProblems(page)
    try {
      await page.goto(`${server.url}&diagnostics`)
      await waitForReady(page)
      await waitForLayers(page, 1)
      await expectClassLegend(page, path, 'browser-class-legend')
      expect(problems()).toEqual([])
    } finally {
      await page.close()
      await server.stop()
    }
  })
})
