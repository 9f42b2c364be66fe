/**
 * Issue 21 in a browser against `npm run serve`: a CRS is a definition, not only a code (two
 * spellings of UTM 31N are one CRS; a transverse Mercator of no code is reprojected beside an
 * EPSG:4326 layer onto its ground), the view's CRS is chosen, not stumbled into (a picture first
 * does not set it, reordering does not change it), and Set CRS… places a layer. Files by GDAL.
 */
import { requireGdal } from '../../helpers/gdal'
import { dropFiles, imagePath, test } from '../helpers'
import { expectOneCrsTwoSpellings, expectParametersBesideGeographic, expectPictureThenGeoTiff, expectReorderKeepsViewCrs, expectSetCrsPlacesALayer, writeCrsFiles, type CrsFiles } from '../crsByDefinition'

test.describe('map space by definition, in a browser', () => {
  let files: CrsFiles
  test.beforeAll(async () => {
    requireGdal() // CI installs gdal-bin: without it these fail with the reason, never skip
    files = await writeCrsFiles(imagePath('map-space'))
  })

  const scenarios = [
    ['two layers of one place, one with an EPSG code and one with the same CRS by its parameters: no warning, the same ground on the same pixel', expectOneCrsTwoSpellings],
    ['a CRS by parameters of no EPSG code beside an EPSG:4326 layer: reprojected onto its ground', expectParametersBesideGeographic],
    ['a picture first, then a GeoTIFF: the view is in the GeoTIFF’s CRS', expectPictureThenGeoTiff],
    ['reordering keeps the view’s CRS; picking another moves it, and every note follows', expectReorderKeepsViewCrs],
    ['Set CRS… places a layer of no CRS at once, and the choice is remembered for its file', expectSetCrsPlacesALayer]
  ] as const
  for (const [title, run] of scenarios) {
    test(title, async ({ viewer }) => {
      await run(viewer, (paths) => dropFiles(viewer, paths), files, 'browser')
    })
  }
})
