/**
 * Issue 23 in a browser: a DEM whose provisional statistics miss a plateau opens with their stretch,
 * which then follows the whole raster's (`info-update`); a stretch the person set first is kept
 * (scenario: test/e2e/finalStatistics.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from '../helpers'
import { requireGdal } from '../../helpers/gdal'
import { demWithHiddenPlateau, setStretchIsKept, stretchFollowsFinalStatistics } from '../finalStatistics'

test.describe('the whole-raster statistics of a value raster after its open, in a browser', () => {
  let dir = ''
  let dem = ''
  test.beforeAll(async () => {
    requireGdal()
    dir = mkdtempSync(join(tmpdir(), 'tessera-final-statistics-'))
    dem = await demWithHiddenPlateau(dir)
  })
  test.afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test('the stretch follows the final statistics when the person has not set it', async ({ viewer }) => {
    test.setTimeout(180_000)
    await stretchFollowsFinalStatistics(viewer, dem)
  })

  test('a stretch the person set before the final statistics came is kept', async ({ viewer }) => {
    test.setTimeout(180_000)
    await setStretchIsKept(viewer, dem)
  })
})
