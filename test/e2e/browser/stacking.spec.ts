/**
 * Issue 16 in a browser against `npm run serve`: a big and a small file given together, on the
 * host's command line or in one drop, stack in the order given (the last on top) whatever order
 * their opens finish in, and the first view fits both. Each case runs RUNS times: the picture
 * must be the same every time.
 */
import { dropFiles, startServe, test, waitForReady, watchProblems, expect } from '../helpers'
import { ORDERS, RUNS, expectStackedAndFitted, stackPaths, writeStackImages } from '../stacking'

test.beforeAll(async () => {
  await writeStackImages()
})

test.describe('layers given together, in a browser', () => {
  for (const { title, given } of ORDERS) {
    for (let run = 1; run <= RUNS; run++) {
      test(`on the command line, ${title}: the last on top, both fitted (run ${run})`, async ({ page }) => {
        const server = await startServe(stackPaths(given))
        try {
          const problems = watchProblems(page)
          await page.goto(`${server.url}&diagnostics`)
          await waitForReady(page)
          await expectStackedAndFitted(page, given, `browser-stack-command-line-${title.replace(/ /g, '-')}-${run}`)
          expect(problems()).toEqual([])
        } finally {
          await server.stop()
        }
      })

      test(`in one drop, ${title}: the last on top, both fitted (run ${run})`, async ({ viewer }) => {
        await dropFiles(viewer, stackPaths(given))
        await expectStackedAndFitted(viewer, given, `browser-stack-drop-${title.replace(/ /g, '-')}-${run}`)
      })
    }
  }
})
