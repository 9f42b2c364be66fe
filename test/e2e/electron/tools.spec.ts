/**
 * Issue 23's profile and measure tools in the built Electron app: the same scenarios as the
 * browser spec. Skipped with the reason "Electron binary not installed" where the binary is
 * missing — reported as skipped, never as passed.
 */
import { type Page, test } from '@playwright/test'
import { requireGdal } from '../../helpers/gdal'
import { dropFiles, expect, imagePath, watchProblems } from '../helpers'
import { expectMeasuredLineAndArea, expectPlanarWithoutCrs, expectProfileValues, writeToolsDem, writeToolsDemWithoutCrs } from '../tools'
import { electronBinaryAvailable, launchTessera } from './electronApp'

test.skip(!electronBinaryAvailable(), 'Electron binary not installed')

const scenarios = [
  ["a profile's values at its vertices are gdallocationinfo's", expectProfileValues, 'tools-profile-electron'],
  ["a measured line and polygon give GeographicLib's figures", expectMeasuredLineAndArea, 'tools-measure-electron'],
  ['a line measured on a DEM of no CRS is planar, in map units', (page: Page, drop: (paths: string[]) => Promise<void>, dem: string) => expectPlanarWithoutCrs(page, drop, dem), 'planar']
] as const

test.describe(`profile and measure tools, in Electron${electronBinaryAvailable() ? '' : ' (skipped: Electron binary not installed)'}`, () => {
  for (const [title, run, shot] of scenarios) {
    test(title, async () => {
      requireGdal()
      const dem = shot === 'planar' ? await writeToolsDemWithoutCrs(imagePath('')) : await writeToolsDem(imagePath(''))
      let problems: () => string[] = () => []
      const { electronApp, page } = await launchTessera([], async (p) => {
        problems = watchProblems(p)
      })
      try {
        await run(page, (paths) => dropFiles(page, paths), dem, shot)
        expect(problems()).toEqual([])
      } finally {
        await electronApp.close()
      }
    })
  }
})
