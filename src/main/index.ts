/**
 * The Electron app (thin: the logic lives in host/ and transport/, tested without Electron).
 * One hardened window; one TextureService per page over IPC + a MessagePort; File > Open, Open
 * URL… (the page's dialog, asked by a menu command), a recent-files list, and files or URLs given
 * on the command line (`tessera a.tif https://…/dem.tif`) open on start.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, MessageChannelMain, type MenuItemConstructorOptions } from 'electron'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { filesFromArgv } from './host/appArgs'
import { expandFolders } from './host/expandFolders'
import { buildMenuTemplate } from './host/menuTemplate'
import { closeRasterRuntime, rasterOpener, tileWorkerCount } from './host/rasterOpener'
import { RecentFiles } from './host/recentFiles'
import { guardWebContents, secureWebPreferences } from './host/windowSecurity'
import { TextureService } from './service/TextureService'
import { ElectronTransport, type IpcMainLike } from './transport/electronIpc'
import { IPC, type MenuCommand } from '../shared/ipcChannels'
import type { TrustedOrigin } from './transport/senderCheck'
import { dialogExtensions } from '../shared/readableFormats'

const here = dirname(fileURLToPath(import.meta.url))
const indexHtml = join(here, '../renderer/index.html')
const trusted: TrustedOrigin = {
  fileUrl: pathToFileURL(indexHtml).href,
  ...(!app.isPackaged && process.env.ELECTRON_RENDERER_URL ? { devServerUrl: process.env.ELECTRON_RENDERER_URL } : {})
}

let window: BrowserWindow | null = null
let transport: ElectronTransport | null = null
let recent: RecentFiles | null = null

const OPEN_FILTERS = [
  { name: 'Images and rasters', extensions: dialogExtensions() },
  { name: 'All files', extensions: ['*'] }
]

async function chooseFiles(): Promise<string[]> {
  const options = { properties: ['openFile', 'multiSelections'] as Array<'openFile' | 'multiSelections'>, filters: OPEN_FILTERS }
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
  return result.canceled ? [] : result.filePaths
}

/** Opens files in the window (raster-opened reaches the page); queued until the page connects. */
async function openInWindow(paths: readonly string[]): Promise<void> {
  if (window && transport && paths.length > 0) await transport.openPaths(window.webContents, paths)
}

function refreshMenu(): void {
  const template = buildMenuTemplate(
    {
      open: () => void chooseFiles().then(openInWindow),
      openUrl: () => window?.webContents.send(IPC.menuCommand, 'open-url' satisfies MenuCommand),
      openRecent: (path) => void openInWindow([path]),
      clearRecent: () => {
        recent?.clear()
        refreshMenu()
      }
    },
    recent?.paths ?? []
  )
  Menu.setApplicationMenu(Menu.buildFromTemplate(template as MenuItemConstructorOptions[]))
}

function createWindow(initialFiles: string[]): void {
  window = new BrowserWindow({
    width: 1280,
    height: 800,
    show: false,
    title: 'Tessera',
    webPreferences: secureWebPreferences(join(here, '../preload/index.cjs'))
  })
  window.once('ready-to-show', () => window?.show())
  window.on('closed', () => (window = null))
  void transport?.openPaths(window.webContents, initialFiles) // queued until the page connects
  if (trusted.devServerUrl) void window.loadURL(trusted.devServerUrl)
  else void window.loadFile(indexHtml)
}

// Every webContents (the window's and any other) is guarded: no navigation away, no new window, no webview.
app.on('web-contents-created', (_event, contents) => guardWebContents(contents, trusted))

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', (_event, argv, cwd) => {
    void openInWindow(expandFolders(filesFromArgv(argv, { defaultApp: process.defaultApp === true, cwd })))
    window?.focus()
  })
  void app.whenReady().then(() => {
    recent = new RecentFiles(app.getPath('userData'))
    transport = new ElectronTransport({
      ipcMain: ipcMain as unknown as IpcMainLike,
      trusted,
      createChannel: () => new MessageChannelMain(),
      createService: (sink) => new TextureService({ sink, openRaster: rasterOpener, maxWorkers: tileWorkerCount() }),
      showOpenDialog: () => chooseFiles(),
      onOpened: (path) => {
        recent?.add(path)
        refreshMenu()
      }
    })
    refreshMenu()
    createWindow(expandFolders(filesFromArgv(process.argv, { defaultApp: process.defaultApp === true })))
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow([])
    })
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  let quitting = false
  app.on('will-quit', (event) => {
    if (quitting) return
    quitting = true
    event.preventDefault()
    void Promise.allSettled([transport?.dispose(), closeRasterRuntime()]).finally(() => app.exit(0))
  })
}
