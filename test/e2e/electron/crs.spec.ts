/**
 * Issue 21 in the built Electron app: the same scenarios as the browser spec. Skipped with the
 * reason "Electron binary not installed" where the binary is missing — reported as skipped, never
 * as passed.
 */
import { test } from '@playwright/test'
import { requireGdal } from '../../helpers/gdal'
import { dropFiles, expect, imagePath, watchProblems } from '../helpers'
import { expectOneCrsTwoSpellings, expectParametersBesideGeographic, expectPictureThenGeoTiff, expectReorderKeepsViewCrs, expectSetCrsPlacesALayer, writeCrsFiles } from '../crsByDefinition'
import { electronBinaryAvailable, launchTessera } from './electronApp'

test.skip(!electronBinaryAvailable(), 'Electron binary not installed')

const scenarios = [
  ['two spellings of one CRS are one CRS', expectOneCrsTwoSpellings],
  ['a CRS by parameters beside an EPSG:4326 layer is reprojected onto its ground', expectParametersBesideGeographic],
  ['a picture first, then a GeoTIFF: the view is in the GeoTIFF’s CRS', expectPictureThenGeoTiff],
  ['reordering keeps the view’s CRS', expectReorderKeepsViewCrs],
  ['Set CRS… places a layer', expectSetCrsPlacesALayer]
] as const

test.describe(`map space by definition, in Electron${electronBinaryAvailable() ? '' : ' (skipped: Electron binary not installed)'}`, () => {
  for (const [title, run] of scenarios) {
    test(title, async () => {
      requireGdal()
      const files = await writeCrsFiles(imagePath('map-space'))
      let problems: () => string[] = () => []
      const { electronApp, page } = await launchTessera([], async (p) => {
        problems = watchProblems(p)
      })
      try {
        await run(page, (paths) => dropFiles(page, paths), files, 'electron')
        expect(problems()).toEqual([])
      } finally {
        await electronApp.close()
      }
    })
  }
})
