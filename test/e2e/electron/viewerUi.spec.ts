/**
 * Issue 15 in the built Electron app: the same scenarios as in the browser (viewerUi.ts), and
 * Ctrl+O through the File menu's accelerator (the dialog stubbed). Skipped with the reason
 * "Electron binary not installed" where the binary is missing — reported as skipped, never as
 * passed.
 */
import { test as base, type ElectronApplication, type Page } from '@playwright/test'
import { expect, imagePath, waitForLayers, watchProblems } from '../helpers'
import { QUAD } from '../images'
import { exportScenarios, layerScenarios, refitScenarios, stretchScenarios, openingScenarios, uiScenarios, writeUiImages } from '../viewerUi'
import { electronBinaryAvailable, launchTessera } from './electronApp'

const test = base.extend<{ app: { electronApp: ElectronApplication; page: Page } }>({
  app: async ({}, use) => {
    let problems: () => string[] = () => []
    const { electronApp, page } = await launchTessera([], async (p) => {
      problems = watchProblems(p)
    })
    await use({ electronApp, page })
    expect(problems()).toEqual([])
    await electronApp.close()
  }
})

test.skip(!electronBinaryAvailable(), 'Electron binary not installed')

test.beforeAll(async () => {
  if (electronBinaryAvailable()) await writeUiImages()
})

test.describe(`the viewer a person expects, in Electron${electronBinaryAvailable() ? '' : ' (skipped: Electron binary not installed)'}`, () => {
  for (const scenario of [...uiScenarios, ...openingScenarios, ...refitScenarios, ...layerScenarios, ...stretchScenarios, ...exportScenarios]) {
    test(scenario.title, async ({ app }) => scenario.run(app.page, 'electron-ui'))
  }

  test('Open… in the toolbar shows the host dialog (stubbed) and opens what was chosen', async ({ app }) => {
    const { electronApp, page } = app
    await electronApp.evaluate(({ dialog }, paths) => {
      dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: paths })) as typeof dialog.showOpenDialog
    }, [imagePath(QUAD.file)])
    await page.getByTestId('toolbar-open').click()
    await waitForLayers(page, 1)
    await expect(page.getByTestId('layer-name')).toHaveText(QUAD.file)
  })
})
