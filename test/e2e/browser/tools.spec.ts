/**
 * Issue 23's profile and measure tools in a browser against `npm run serve`: a profile's values at
 * its vertices are gdallocationinfo's, its CSV holds them; a line and a polygon measured on a UTM
 * DEM give GeographicLib's figures. Files by GDAL.
 */
import { requireGdal } from '../../helpers/gdal'
import { dropFiles, imagePath, test } from '../helpers'
import { expectMeasuredLineAndArea, expectPlanarWithoutCrs, expectProfileValues, writeToolsDem, writeToolsDemWithoutCrs } from '../tools'

test.describe('profile and measure tools, in a browser', () => {
  let dem: string
  let demWithoutCrs: string
  test.beforeAll(async () => {
    requireGdal() // CI installs gdal-bin: without it these fail with the reason, never skip
    dem = await writeToolsDem(imagePath(''))
    demWithoutCrs = await writeToolsDemWithoutCrs(imagePath(''))
  })

  test("a profile's values at its vertices are gdallocationinfo's, and its CSV holds them", async ({ viewer }) => {
    await expectProfileValues(viewer, (paths) => dropFiles(viewer, paths), dem, 'tools-profile-browser')
  })

  test("a measured line and polygon give GeographicLib's figures", async ({ viewer }) => {
    await expectMeasuredLineAndArea(viewer, (paths) => dropFiles(viewer, paths), dem, 'tools-measure-browser')
  })

  test('a line measured on a DEM of no CRS is planar, in map units, and says so', async ({ viewer }) => {
    await expectPlanarWithoutCrs(viewer, (paths) => dropFiles(viewer, paths), demWithoutCrs)
  })
})
