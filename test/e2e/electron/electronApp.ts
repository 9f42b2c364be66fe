/**
 * The built Electron app (`out/`, from `npm run build`) for the Electron specs: where its
 * executable is (the one `require('electron')` names, node_modules/electron/path.txt), whether it
 * is installed, and launching it with diagnostics on.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { _electron as electron, type ElectronApplication, type Page } from '@playwright/test'
import { ROOT, waitForReady } from '../helpers'

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

/**
 * Launches the app with `files` on its command line, reloads its window with diagnostics on
 * (`beforeLoad` runs first, e.g. to add init scripts) and resolves once the renderer is ready.
 */
export async function launchTessera(
  files: string[] = [],
  beforeLoad?: (page: Page) => Promise<void>
): Promise<{ electronApp: ElectronApplication; page: Page }> {
  const electronApp = await electron.launch({ executablePath: electronExecutable()!, args: [ROOT, ...files], cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' } })
  const page = await electronApp.firstWindow()
  await beforeLoad?.(page)
  // Diagnostics are switched on by the page URL; a load from the main process is not a navigation the window refuses.
  await electronApp.evaluate(
    ({ BrowserWindow }, index) => BrowserWindow.getAllWindows()[0]!.loadFile(index, { search: 'diagnostics' }),
    join(ROOT, 'out/renderer/index.html')
  )
  await waitForReady(page)
  await page.setViewportSize({ width: 1000, height: 700 })
  return { electronApp, page }
}
