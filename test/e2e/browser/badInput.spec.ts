/**
 * The bad-input corpus (issue 7) end to end in a browser against `npm run serve`: every bad file
 * gives an error in the window naming the file and the cause within 2 s, the layer already open
 * keeps rendering, no layer (nor upload, nor raster in the service) is left behind, and the page's
 * JS heap and the host's RSS come back after the whole corpus.
 *
 * Files with bytes are dropped (uploaded) as a person would. What has no bytes to drop — a
 * directory, a symbolic link loop, a file without read permission, a file deleted while open — is
 * named on the host's command line, the one route by which a browser page opens a server path.
 * Root reads any file, so when the tests run as root that host runs as user nobody (as
 * test/integration/badInput.test.ts drops its effective uid for the same case).
 *
 * The 2 s is the requirement, measured in the page from the drop (or from the connection,
 * for command-line files) to the error entry; observed times are one to two orders of magnitude below.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from '@playwright/test'
import { type BadCorpus, generateBadCorpus } from '../../fixtures/bad/generate'
import type { ServeProcess, ServeSpawnOptions } from '../../helpers/serveProcess'
import { type BadInputContext, type BadInputRow, PATH_ERRORS, QUAD_POINTS, droppedCorpusTests, fileDeletedWhileOpenFails, memoryComesBack, openedPathFails, printTable, writePathCases } from '../badInput'
import { QUAD } from '../images'
import { dropFiles, expect, imagePath, setView, startServe, test, waitForLayers, waitForReady, waitForSharp, watchProblems } from '../helpers'
import { connectedAt, recordTimes } from '../pageTimes'
import { type MemoryAtRest, memoryAtRest, serveHostPid } from '../memory'

let tmp = ''
let corpus: BadCorpus
const rows: BadInputRow[] = []

test.beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'tessera-e2e-bad-'))
  chmodSync(tmp, 0o755) // the command-line host may run as nobody
  corpus = await generateBadCorpus(join(tmp, 'corpus'))
})

test.afterAll(() => {
  printTable('bad input in a browser (npm run serve)', rows)
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

/** A host with `files` on its command line and a page on it that records drop, connection and error times. */
async function openHostAndPage(browser: Browser, files: string[], spawn: ServeSpawnOptions): Promise<{ server: ServeProcess; page: Page; problems: () => string[] }> {
  const server = await startServe(files, spawn)
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } })
  const problems = watchProblems(page)
  await recordTimes(page)
  await page.goto(`${server.url}&diagnostics`)
  await waitForReady(page)
  return { server, page, problems }
}

test.describe('bad files dropped on the viewer', () => {
  let server: ServeProcess | undefined
  let problems: () => string[] = () => []
  let uploads = ''
  let baseline: MemoryAtRest
  let ctx: BadInputContext

  test.beforeAll(async ({ browser }) => {
    // Uploads go under TMPDIR: a directory of this test's own, to see that none is left behind.
    uploads = join(tmp, 'uploads')
    mkdirSync(uploads, { recursive: true })
    const opened = await openHostAndPage(browser, [], { env: { TMPDIR: uploads } })
    ;({ server, problems } = opened)
    ctx = { page: opened.page, hostPid: serveHostPid(server.process.pid!), prefix: 'browser', layers: 1, quadPoints: QUAD_POINTS, rows }
    await dropFiles(ctx.page, [imagePath(QUAD.file)])
    await waitForLayers(ctx.page, 1)
    await waitForSharp(ctx.page)
    baseline = await memoryAtRest(ctx.page, ctx.hostPid)
  })

  test.afterAll(async () => {
    await ctx?.page.close()
    await server?.stop()
  })

  test.afterEach(() => expect(problems()).toEqual([]))

  droppedCorpusTests(test, () => ({ ctx, corpus }))

  test('no upload is left on disk but the open layer’s', () => {
    const stores = readdirSync(uploads).filter((d) => d.startsWith('tessera-uploads-'))
    expect(stores).toHaveLength(1)
    expect(readdirSync(join(uploads, stores[0]!)), 'upload directories left in the store').toHaveLength(1)
  })

  test('memory comes back after the whole corpus, dropped a second time', async () => {
    await memoryComesBack(ctx, corpus, baseline)
  })
})

test.describe('bad paths named on the command line', () => {
  const asRoot = process.getuid?.() === 0
  let server: ServeProcess | undefined
  let problems: () => string[] = () => []
  let ctx: BadInputContext
  let paths: Awaited<ReturnType<typeof writePathCases>>

  test.beforeAll(async ({ browser }) => {
    paths = await writePathCases(join(tmp, 'paths'))
    const files = [paths.deleted, paths.good, corpus.cases.directory, corpus.cases['symlink-loop'], paths.unreadable]
    // User nobody cannot write out/: a host started as root first builds it if the sources changed.
    if (asRoot) await (await startServe()).stop()
    const opened = await openHostAndPage(browser, files, asRoot ? { uid: 65534, gid: 65534, env: { TESSERA_SKIP_BUILD: '1' } } : {})
    ;({ server, problems } = opened)
    // QUAD is checked right of x = 1024, where the TIFF (on top or not) never covers it.
    ctx = { page: opened.page, hostPid: serveHostPid(server.process.pid!), prefix: 'browser', layers: 2, quadPoints: [[1100, 300], [1100, 600]], rows }
    await waitForLayers(ctx.page, 2)
    await setView(ctx.page, { centerX: 700, centerY: 500, zoom: 0.6 })
    await waitForSharp(ctx.page)
  })

  test.afterAll(async () => {
    await ctx?.page.close()
    await server?.stop()
  })

  test.afterEach(() => expect(problems()).toEqual([]))

  test('directory: an error naming it and "it is a directory" within 2 s of connecting; the other layers keep rendering', async () => {
    await openedPathFails(ctx, 'directory', 'command line', corpus.cases.directory, PATH_ERRORS.directory, await connectedAt(ctx.page))
  })

  test('symlink-loop: an error naming it and "symbolic link loop" within 2 s of connecting; the other layers keep rendering', async () => {
    await openedPathFails(ctx, 'symlink-loop', 'command line', corpus.cases['symlink-loop'], PATH_ERRORS['symlink-loop'], await connectedAt(ctx.page))
  })

  test('no-read-permission: an error naming it and "permission denied" within 2 s of connecting; the other layers keep rendering', async () => {
    const route = asRoot ? 'command line (host as nobody)' : 'command line'
    await openedPathFails(ctx, 'no-read-permission', route, paths.unreadable, PATH_ERRORS['no-read-permission'], await connectedAt(ctx.page))
  })

  test('deleted-while-open: within 2 s an error naming it says it is gone; its tiles are answered and the other layer keeps rendering', async () => {
    await fileDeletedWhileOpenFails(ctx, 'command line', paths.deleted)
  })
})
