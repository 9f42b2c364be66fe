/**
 * The same scenarios in the built Electron app (`out/`, from `npm run build`), through Playwright's
 * `_electron`: dropped files carry their paths, File > Open is driven with the dialog stubbed.
 * The executable is the one `require('electron')` names (node_modules/electron/path.txt).
 * Where the Electron binary is missing (no network at install time) every test is skipped with the
 * reason "Electron binary not installed" — reported as skipped, never as passed.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { _electron as electron, test as base, type ElectronApplication, type Page } from '@playwright/test'
import { PYRAMID, QUAD, quadColor } from '../images'
import { ROOT, expect, expectColor, imagePath, shoot, waitForLayers, waitForReady, waitForSharp, watchProblems } from '../helpers'
import { scenarios } from '../scenarios'

/**
 * The Electron executable `require('electron')` would name, or null when it is not installed.
 * Read without requiring the package: its index.js tries to download a missing binary.
 */
export function electronExecutable(): string | null {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
    const pathFile = join(dir, 'path.txt')
    if (!existsSync(pathFile)) return null
    const relative = readFileSync(pathFile, 'utf8').trim()
    const base = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(dir, 'dist')
    const executable = join(base, relative)
    return existsSync(executable) ? executable : null
  } catch {
    return null
  }
}

/** True when the Electron binary is installed. */
export function electronBinaryAvailable(): boolean {
  return electronExecutable() !== null
}

const test = base.extend<{ app: { electronApp: ElectronApplication; page: Page } }>({
  app: async ({}, use) => {
    const electronApp = await electron.launch({ executablePath: electronExecutable()!, args: [ROOT], cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' } })
    const page = await electronApp.firstWindow()
    const problems = watchProblems(page)
    // Diagnostics are switched on by the page URL; a load from the main process is not a navigation the window refuses.
    await electronApp.evaluate(
      ({ BrowserWindow }, index) => BrowserWindow.getAllWindows()[0]!.loadFile(index, { search: 'diagnostics' }),
      join(ROOT, 'out/renderer/index.html')
    )
    await waitForReady(page)
    await page.setViewportSize({ width: 1000, height: 700 })
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
