/**
 * Issue 23 in a browser against `npm run serve`: the swipe, the histogram dragged, the readout
 * copied as a spreadsheet row, and the view saved with its world file and CRS, placed by gdalinfo
 * (compare.ts; the Electron twin runs the same scenario).
 */
import { requireGdal } from '../../helpers/gdal'
import { dropFiles, imagePath, test } from '../helpers'
import { expectCopiedTable, expectGeoreferencedExport, expectHistogramDrag, expectSwipe, openCompareFiles } from '../compare'
import { writeMapFiles } from '../mapSpace'

test.describe('compare and export, in a browser', () => {
  test('swipe: the selected layer left of the divider, the layer under it right, and again after a drag', async ({ viewer }) => {
    requireGdal()
    const files = await writeMapFiles(imagePath('map-space'))
    await openCompareFiles(viewer, (paths) => dropFiles(viewer, paths), files)
    await expectSwipe(viewer, 'browser-compare')
  })

  test('dragging across the histogram sets the stretch, in the data\'s precision; c copies tab-separated values', async ({ viewer }) => {
    requireGdal()
    const files = await writeMapFiles(imagePath('map-space'))
    const view = await openCompareFiles(viewer, (paths) => dropFiles(viewer, paths), files)
    await expectCopiedTable(viewer, view)
    await expectHistogramDrag(viewer, 'browser-compare')
  })

  test('Ctrl+S saves the PNG with a world file and its CRS: gdalinfo places it where the view was, upright and turned', async ({ viewer }) => {
    requireGdal()
    const files = await writeMapFiles(imagePath('map-space'))
    await openCompareFiles(viewer, (paths) => dropFiles(viewer, paths), files)
    await expectGeoreferencedExport(viewer, 'browser-compare', false)
    await expectGeoreferencedExport(viewer, 'browser-compare', true)
  })
})
