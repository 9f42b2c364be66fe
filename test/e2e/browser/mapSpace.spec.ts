/**
 * Issue 13 in a browser against `npm run serve`: a 1 m DEM and a 5 m hillshade of part of it
 * (EPSG:32631, written by GDAL) line up on the ground, checked by screenshot pixels on four ground
 * lines and by the readout (map coordinates, latitude/longitude as GDAL computes them, each layer's
 * value); a picture without georeferencing lies at the map origin and says so; a Web Mercator
 * layer says it is drawn without reprojection. The table of ground checks is saved next to the
 * screenshots (test-results/screenshots/browser-ground-checks.json).
 */
import { requireGdal } from '../../helpers/gdal'
import { dropFiles, imagePath, test } from '../helpers'
import { expectLayersOnTheGround, expectMixedLayers, expectReadout, expectReprojectedOnTheGround, expectRotatedOnTheGround, expectViewCrsChange, writeMapFiles, type MapFiles } from '../mapSpace'

test.describe('map space in a browser', () => {
  let files: MapFiles
  test.beforeAll(async () => {
    requireGdal() // CI installs gdal-bin: without it these fail with the reason, never skip
    files = await writeMapFiles(imagePath('map-space'))
  })

  test('layers of different resolutions line up on the ground; the readout gives every layer; mixed layers say where they are', async ({ viewer }) => {
    await dropFiles(viewer, [files.dem, files.hillshade])
    const checks = await expectLayersOnTheGround(viewer, 'browser')
    await expectReadout(viewer, 'browser')
    await expectReprojectedOnTheGround(viewer, (paths) => dropFiles(viewer, paths), files, checks, 'browser')
    await expectRotatedOnTheGround(viewer, (paths) => dropFiles(viewer, paths), files, 'browser')
    await expectViewCrsChange(viewer, 'browser')
    console.log(`[browser] ground checks\n${checks.map((c) => `${c.ground}: view ${c.predicted.toFixed(2)}, DEM ${c.inDem}, hillshade ${c.inHillshade}, hillshade-3857 ${c.inMercator}, hillshade-31370 ${c.inLambert}`).join('\n')}`)
    await expectMixedLayers(viewer, (paths) => dropFiles(viewer, paths), files, 'browser')
  })
})
