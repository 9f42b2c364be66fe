/**
 * The Electron layer with Electron's objects stubbed at the edge (ipcMain, webContents, the sender
 * frame: test/helpers/electronStub.ts); everything else is real: MessagePorts (Node's, the same API
 * as MessageChannelMain), TextureService, rasters decoded by sharp in worker threads.
 */
import { MessageChannel } from 'node:worker_threads'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IPC } from '../../src/shared/ipcChannels'
import { decodeTileFrame } from '../../src/shared/tileFrame'
import type { ServerMessage } from '../../src/shared/protocol'
import { ElectronTransport } from '../../src/main/transport/electronIpc'
import { isTrustedSender } from '../../src/main/transport/senderCheck'
import { TextureService } from '../../src/main/service/TextureService'
import { closeRasterRuntime, rasterOpener } from '../../src/main/host/rasterOpener'
import { FakeContents, FakeIpcMain, senderEvent as event, trusted } from '../helpers/electronStub'

let dir: string
let png: string

const services: TextureService[] = []
function makeTransport(ipcMain: FakeIpcMain, showOpenDialog?: () => Promise<string[]>, onOpened?: (path: string) => void): ElectronTransport {
  return new ElectronTransport({
    ipcMain,
    trusted,
    createChannel: () => new MessageChannel(),
    createService: (sink) => {
      const service = new TextureService({ sink, openRaster: rasterOpener, maxWorkers: 2 })
      services.push(service)
      return service
    },
    ...(showOpenDialog ? { showOpenDialog } : {}),
    ...(onOpened ? { onOpened } : {})
  })
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-electron-test-'))
  png = join(dir, 'small.png')
  await sharp({ create: { width: 600, height: 400, channels: 3, background: { r: 200, g: 100, b: 50 } } }).png().toFile(png)
})

afterAll(async () => {
  await Promise.all(services.map((s) => s.close()))
  await closeRasterRuntime()
  rmSync(dir, { recursive: true, force: true })
})

describe('isTrustedSender', () => {
  it("trusts the app's own index.html, whatever its query or hash", () => {
    expect(isTrustedSender({ url: `${trusted.fileUrl}?x=1#top` }, trusted)).toBe(true)
  })

  it('refuses another file, another origin, a bad URL and a destroyed frame', () => {
    expect(isTrustedSender({ url: pathToFileURL('/tmp/evil/index.html').href }, trusted)).toBe(false)
    expect(isTrustedSender({ url: 'https://evil.example/index.html' }, trusted)).toBe(false)
    expect(isTrustedSender({ url: 'not a url' }, trusted)).toBe(false)
    expect(isTrustedSender(null, trusted)).toBe(false)
  })

  it('trusts the dev server origin only when one is configured', () => {
    expect(isTrustedSender({ url: 'http://localhost:5173/' }, trusted)).toBe(false)
    expect(isTrustedSender({ url: 'http://localhost:5173/index.html' }, { ...trusted, devServerUrl: 'http://localhost:5173' })).toBe(true)
    expect(isTrustedSender({ url: 'http://localhost:5174/' }, { ...trusted, devServerUrl: 'http://localhost:5173' })).toBe(false)
  })
})

describe('ElectronTransport', () => {
  it('refuses every channel to a sender that is not the app page, naming the channel and the sender', async () => {
    const ipcMain = new FakeIpcMain()
    const transport = makeTransport(ipcMain, async () => [png])
    const page = new FakeContents()
    for (const channel of [IPC.connect, IPC.call, IPC.openDialog]) {
      await expect(ipcMain.invoke(event(page, 'https://evil.example/'), channel, { type: 'stats', id: 1 })).rejects.toThrow(
        `Refused ${channel} from https://evil.example/: only the Tessera page may call the main process`
      )
    }
    await expect(ipcMain.invoke(event(page, null), IPC.connect)).rejects.toThrow('from a destroyed frame')
    ipcMain.send(event(page, 'https://evil.example/'), IPC.notify, { type: 'request', rasterId: 'r1', tiles: [] })
    expect(page.port).toBeNull()
    expect(transport.pageCount).toBe(0)
    await transport.dispose()
  })

  it('serves the app page: calls by invoke, tiles and events on the port, tiles as binary', async () => {
    const ipcMain = new FakeIpcMain()
    const transport = makeTransport(ipcMain)
    const page = new FakeContents()
    const from = event(page, trusted.fileUrl)
    await ipcMain.invoke(from, IPC.connect)
    expect(page.port).not.toBeNull()
    const reply = (await ipcMain.invoke(from, IPC.call, { type: 'open', id: 1, path: png })) as Extract<ServerMessage, { type: 'reply' }>
    const { rasterId } = reply.result as { rasterId: string }
    ipcMain.send(from, IPC.notify, { type: 'request', rasterId, tiles: [{ level: 0, col: 2, row: 1, priority: 1 }] })
    ipcMain.send(from, IPC.notify, { type: 'request', rasterId, tiles: [{ level: 0, col: 9, row: 9, priority: 1 }] })
    await page.until(() => page.tiles().length === 1 && page.messages().length === 1)
    const { header, data } = decodeTileFrame(page.tiles()[0]!)
    expect(header).toMatchObject({ rasterId, col: 2, row: 1, width: 88, height: 144 })
    expect([...data.subarray(0, 4)]).toEqual([200, 100, 50, 255])
    expect(page.messages()[0]).toMatchObject({ type: 'tile-failed', error: { code: 'out-of-range' } })
    expect(await ipcMain.invoke(from, IPC.call, { type: 'open', id: 2 })).toMatchObject({ type: 'reply-error', id: 2, error: { code: 'bad-message' } })
    await transport.dispose()
    expect(ipcMain.handlers.size + ipcMain.listeners.size).toBe(0)
  })

  it('opens command-line files once the page connects, and pushes them as raster-opened, each with its place in the order given', async () => {
    const ipcMain = new FakeIpcMain()
    const transport = makeTransport(ipcMain)
    const page = new FakeContents()
    expect(await transport.openPaths(page, [png, join(dir, 'missing.tif')])).toEqual([])
    await ipcMain.invoke(event(page, trusted.fileUrl), IPC.connect)
    await page.until(() => page.messages().length === 2)
    // Opened at once: the failure may come first; each message says its place.
    const opened = page.messages().find((m) => m.type === 'raster-opened')
    const failed = page.messages().find((m) => m.type === 'error')
    expect(opened).toMatchObject({ batch: { index: 0, size: 2 } })
    expect(failed).toMatchObject({ error: { code: 'open-failed' }, batch: { index: 1, size: 2 } })
    expect((failed as { batch: { batch: string } }).batch.batch).toBe((opened as { batch: { batch: string } }).batch.batch)
    expect(JSON.stringify(failed)).toContain('missing.tif')
    await transport.dispose()
  })

  it('opens what the Open dialog returns and reports each opened path (for Open Recent)', async () => {
    const ipcMain = new FakeIpcMain()
    const recent: string[] = []
    const transport = makeTransport(ipcMain, async () => [png, join(dir, 'gone.png')], (path) => recent.push(path))
    const page = new FakeContents()
    const from = event(page, trusted.fileUrl)
    await ipcMain.invoke(from, IPC.connect)
    const opened = (await ipcMain.invoke(from, IPC.openDialog)) as Array<{ info: { name: string } }>
    expect(opened.map((o) => o.info.name)).toEqual(['small.png'])
    expect(recent).toEqual([png])
    await transport.dispose()
  })

  it('gives a reloaded page a new service and closes the old one; a destroyed page closes its service', async () => {
    const ipcMain = new FakeIpcMain()
    const transport = makeTransport(ipcMain)
    const page = new FakeContents()
    const from = event(page, trusted.fileUrl)
    await ipcMain.invoke(from, IPC.connect)
    await ipcMain.invoke(from, IPC.call, { type: 'open', id: 1, path: png })
    const first = services.at(-1)!
    await ipcMain.invoke(from, IPC.connect)
    expect(first.isClosed).toBe(true)
    expect(await ipcMain.invoke(from, IPC.call, { type: 'stats', id: 2 })).toMatchObject({ result: { openRasters: 0 } })
    const second = services.at(-1)!
    page.destroy()
    await new Promise((resolve) => setImmediate(resolve))
    expect(second.isClosed).toBe(true)
    expect(transport.pageCount).toBe(0)
    await expect(ipcMain.invoke(from, IPC.call, { type: 'stats', id: 3 })).rejects.toThrow('has not connected')
    await transport.dispose()
  })
})

describe('recent files, argv, menu and window hardening', () => {
  it('keeps recent files most recent first, without duplicates, within the limit, across restarts', async () => {
    const { RecentFiles } = await import('../../src/main/host/recentFiles')
    const recent = new RecentFiles(dir, { limit: 3 })
    for (const p of ['/a', '/b', '/c', '/a', '/d']) recent.add(p)
    expect(recent.paths).toEqual(['/d', '/a', '/c'])
    expect(new RecentFiles(dir, { limit: 3 }).paths).toEqual(['/d', '/a', '/c'])
    writeFileSync(join(dir, 'recent-files.json'), '{ broken')
    expect(new RecentFiles(dir).paths).toEqual([])
    recent.remove('/a')
    expect(JSON.parse(readFileSync(join(dir, 'recent-files.json'), 'utf8'))).toEqual(['/d', '/c'])
  })

  it('reads the files given on the command line, in development and packaged', async () => {
    const { filesFromArgv } = await import('../../src/main/host/appArgs')
    expect(filesFromArgv(['/usr/bin/electron', '.', 'a.tif', '--inspect', 'b.jpg'], { defaultApp: true, cwd: '/data' })).toEqual(['/data/a.tif', '/data/b.jpg'])
    expect(filesFromArgv(['/opt/tessera/tessera', '--no-sandbox', '/x/a.tif'], { defaultApp: false })).toEqual(['/x/a.tif'])
    expect(filesFromArgv(['/opt/tessera/tessera', '--', '-odd-name.png'], { defaultApp: false, cwd: '/d' })).toEqual(['/d/-odd-name.png'])
  })

  it('builds a File menu with Open and Open Recent wired to its actions', async () => {
    const { buildMenuTemplate } = await import('../../src/main/host/menuTemplate')
    const calls: string[] = []
    const template = buildMenuTemplate(
      { open: () => calls.push('open'), openUrl: () => calls.push('open-url'), openRecent: (p) => calls.push(`recent ${p}`), clearRecent: () => calls.push('clear') },
      ['/maps/a.tif'],
      'linux'
    )
    const file = template[0]!.submenu!
    file[0]!.click!()
    const recent = file.find((item) => item.label === 'Open Recent')!.submenu!
    recent[0]!.click!()
    recent[2]!.click!()
    expect(file[0]).toMatchObject({ label: 'Open…', accelerator: 'CmdOrCtrl+O' })
    expect(recent[0]!.label).toBe('a.tif — /maps/a.tif')
    expect(calls).toEqual(['open', 'recent /maps/a.tif', 'clear'])
    expect(buildMenuTemplate({ open() {}, openUrl() {}, openRecent() {}, clearRecent() {} }, [], 'darwin')[0]).toEqual({ role: 'appMenu' })
  })

  it('hardens every window: sandbox, isolation, no node, no webview, no navigation, no new window', async () => {
    const { guardWebContents, secureWebPreferences } = await import('../../src/main/host/windowSecurity')
    expect(secureWebPreferences('/p.cjs')).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, preload: '/p.cjs' })
    const handlers = new Map<string, (...args: never[]) => void>()
    let openHandler: ((d: { url: string }) => { action: string }) | null = null
    guardWebContents(
      {
        on: (name: string, listener: (...args: never[]) => void) => handlers.set(name, listener),
        setWindowOpenHandler: (handler: (d: { url: string }) => { action: 'deny' }) => (openHandler = handler)
      } as never,
      trusted
    )
    const prevented: string[] = []
    const navigate = handlers.get('will-navigate') as unknown as (e: { preventDefault(): void }, url: string) => void
    navigate({ preventDefault: () => prevented.push('evil') }, 'https://evil.example/')
    navigate({ preventDefault: () => prevented.push('self') }, trusted.fileUrl)
    ;(handlers.get('will-attach-webview') as unknown as (e: { preventDefault(): void }) => void)({ preventDefault: () => prevented.push('webview') })
    expect(prevented).toEqual(['evil', 'webview'])
    expect(openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
  })
})
