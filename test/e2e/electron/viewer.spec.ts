/**
 * The same scenarios in the built Electron app (`out/`, from `npm run build`), through Playwright's
 * `_electron`: dropped files carry their paths, File > Open is driven with the dialog stubbed.
 * The executable is the one `require('electron')` names (see electronApp.ts).
 * Where the Electron binary is missing (no network at install time) every test is skipped with the
 * reason "Electron binary not installed" — reported as skipped, never as passed.
 */
import { test as base, type ElectronApplication, type Page } from '@playwright/test'
import { PYRAMID, QUAD, quadColor } from '../images'
import { expect, expectColor, imagePath, shoot, waitForLayers, waitForSharp, watchProblems, wireStats } from '../helpers'
import { openBoth, scenarios } from '../scenarios'
import { electronBinaryAvailable, launchTessera } from './electronApp'

const test = base.extend<{ app: { electronApp: ElectronApplication; page: Page } }>({
  app: async ({}, use) => {
    let problems: () => string[] = () => []
    const { electronApp, page } = await launchTessera([], async (page) => {
      problems = watchProblems(page)
    })
    await use({ electronApp, page })
    expect(problems()).toEqual([])
    await electronApp.close()
  }
})

test.skip(!electronBinaryAvailable(), 'Electron binary not installed')

// The reason is in the title too, so that the list reporter shows why these did not run.
test.describe(`viewer in Electron${electronBinaryAvailable() ? '' : ' (skipped: Electron binary not installed)'}`, () => {
  for (const scenario of scenarios) {
    test(scenario.title, async ({ app }) => scenario.run(app.page, 'electron'))
  }

  test('tiles arrive on the MessagePort handed to the tile worker, and are unpacked there, raw', async ({ app }) => {
    await openBoth(app.page)
    const wire = await wireStats(app.page)
    expect(wire.tiles).toBeGreaterThan(0)
    expect(wire.inWorker, 'every tile came through the tile worker').toBe(wire.tiles)
    expect(wire.compressed, 'Electron asks for no compressed tiles: they cross in memory').toBe(0)
  })

  test('File > Open (dialog stubbed) opens the chosen files as layers', async ({ app }) => {
    const { electronApp, page } = app
    await electronApp.evaluate(({ dialog }, paths) => {
      dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: paths })) as typeof dialog.showOpenDialog
    }, [imagePath(PYRAMID.file), imagePath(QUAD.file)])
    await electronApp.evaluate(({ Menu }) => {
      const file = Menu.getApplicationMenu()?.items.find((item) => item.label === 'File')
      const open = file?.submenu?.items.find((item) => item.label.startsWith('Open'))
      if (!open) throw new Error('Expected a File > Open… menu item but found none')
      open.click()
    })
    await waitForLayers(page, 2)
    await waitForSharp(page)
    const shot = await shoot(page, 'electron-file-open')
    expectColor(shot.image(900, 600), quadColor(900, 600), 'PNG opened from the menu')
  })
})
