/**
 * Issue 24 in the built Electron app: the scenario of the browser spec (test/e2e/openUrl.ts), the
 * page's `open-url` carried by the preload to the main process, which reads the COG from nginx.
 * Skipped with the reason "Electron binary not installed" where the binary is missing — reported
 * as skipped, never as passed.
 */
import { test } from '@playwright/test'
import { expect, watchProblems } from '../helpers'
import { expectOpenUrlScenario, serveTestCogs } from '../openUrl'
import { electronBinaryAvailable, launchTessera } from './electronApp'

test.skip(!electronBinaryAvailable(), 'Electron binary not installed')

test.describe(`open a raster by URL, in Electron${electronBinaryAvailable() ? '' : ' (skipped: Electron binary not installed)'}`, () => {
  test('Ctrl+L opens a COG served by nginx: drawn, panned, zoomed, its info; a 404 is said and the next URL, dropped, opens', async () => {
    const cogs = await serveTestCogs()
    let problems: () => string[] = () => []
    const { electronApp, page } = await launchTessera([], async (p) => {
      problems = watchProblems(p)
    })
    try {
      await expectOpenUrlScenario(page, cogs, 'electron')
      expect(problems()).toEqual([])
    } finally {
      await electronApp.close()
      await cogs.close()
    }
  })
})
