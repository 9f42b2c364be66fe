/**
 * Issue 13 in the built Electron app: the same scenario as the browser spec (a DEM and a hillshade
 * lined up on the ground, the readout, mixed layers). Skipped with the reason "Electron binary not
 * installed" where the binary is missing — reported as skipped, never as passed.
 */
import { test } from '@playwright/test'
import { requireGdal } from '../../helpers/gdal'
import { dropFiles, expect, imagePath, watchProblems } from '../helpers'
import { expectLayersOnTheGround, expectMixedLayers, expectReadout, expectReprojectedOnTheGround, expectRotatedOnTheGround, expectViewCrsChange, writeMapFiles } from '../mapSpace'
import { electronBinaryAvailable, launchTessera } from './electronApp'

test.skip(!electronBinaryAvailable(), 'Electron binary not installed')

test.describe(`map space, in Electron${electronBinaryAvailable() ? '' : ' (skipped: Electron binary not installed)'}`, () => {
  test('layers of different resolutions line up on the ground; the readout gives every layer; mixed layers say where they are', async () => {
    requireGdal()
    const files = await writeMapFiles(imagePath('map-space'))
    let problems: () => string[] = () => []
    const { electronApp, page } = await launchTessera([], async (p) => {
      problems = watchProblems(p)
    })
    try {
      await dropFiles(page, [files.dem, files.hillshade])
      const checks = await expectLayersOnTheGround(page, 'electron')
      await expectReadout(page, 'electron')
      await expectReprojectedOnTheGround(page, (paths) => dropFiles(page, paths), files, checks, 'electron')
      await expectRotatedOnTheGround(page, (paths) => dropFiles(page, paths), files, 'electron')
      await expectViewCrsChange(page, 'electron')
      await expectMixedLayers(page, (paths) => dropFiles(page, paths), files, 'electron')
      expect(problems()).toEqual([])
    } finally {
      await electronApp.close()
    }
  })
})
