/**
 * Issue 24 in the built Electron app: a URL among the app's arguments opens at start (the scenario
 * of the browser spec, test/e2e/urlArgument.ts): the main process reads the COG from nginx and
 * hands it to the page as a command-line path; and File > Open URL… (Ctrl+L) shows the page's
 * Open URL… dialog, a menu command the preload forwards. Skipped with the reason "Electron binary not
 * installed" where the binary is missing — reported as skipped, never as passed.
 */
import { test } from '@playwright/test'
import { expect, watchProblems } from '../helpers'
import { serveTestCogs } from '../openUrl'
import { expectUrlArgumentOpened, urlArguments } from '../urlArgument'
import { electronBinaryAvailable, launchTessera } from './electronApp'

test.skip(!electronBinaryAvailable(), 'Electron binary not installed')

test.describe(`opening by URL in Electron: the command line, File > Open URL…${electronBinaryAvailable() ? '' : ' (skipped: Electron binary not installed)'}`, () => {
  test('tessera <URL> opens the COG at start: drawn, its info naming the URL; a 404 is said', async () => {
    const cogs = await serveTestCogs()
    let problems: () => string[] = () => []
    const { electronApp, page } = await launchTessera(urlArguments(cogs), async (p) => {
      problems = watchProblems(p)
    })
    try {
      await expectUrlArgumentOpened(page, cogs, 'electron')
      expect(problems()).toEqual([])
    } finally {
      await electronApp.close()
      await cogs.close()
    }
  })

  test("File > Open URL… shows the page's Open URL dialog, its field focused", async () => {
    let problems: () => string[] = () => []
    const { electronApp, page } = await launchTessera([], async (p) => {
      problems = watchProblems(p)
    })
    try {
      await expect(page.getByTestId('open-url')).toBeHidden()
      await electronApp.evaluate(({ Menu }) => Menu.getApplicationMenu()!.getMenuItemById('open-url')!.click())
      await expect(page.getByTestId('open-url')).toBeVisible()
      await expect(page.getByTestId('open-url-input')).toBeFocused()
      expect(problems()).toEqual([])
    } finally {
      await electronApp.close()
    }
  })
})
