/**
 * Issue 24 in a browser: `npm run serve -- <URL> <URL of a 404>` opens the COG served by nginx at
 * start, for the page's connection (the scenario is test/e2e/urlArgument.ts, shared with the
 * Electron twin). GDAL and nginx are required: without them this fails with the reason.
 */
import { expect, startServe, test, waitForReady, watchProblems } from '../helpers'
import { serveTestCogs } from '../openUrl'
import { expectUrlArgumentOpened, urlArguments } from '../urlArgument'

test.describe('a URL on the command line, in a browser', () => {
  test('npm run serve -- <URL> opens the COG at start: drawn, its info naming the URL; a 404 is said', async ({ page }) => {
    const cogs = await serveTestCogs()
    const server = await startServe(urlArguments(cogs))
    try {
      const problems = watchProblems(page)
      await page.goto(`${server.url}&diagnostics`)
      await waitForReady(page)
      await expectUrlArgumentOpened(page, cogs, 'browser')
      expect(problems()).toEqual([])
    } finally {
      await server.stop()
      await cogs.close()
    }
  })
})
