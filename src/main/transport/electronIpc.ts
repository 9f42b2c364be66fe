/**
 * The Electron transport: one TextureService per page (webContents). Calls arrive through
 * `ipcMain.handle`, notifications through `ipcMain.on`; every handler first checks the sender
 * frame. Events and tiles go back on a MessagePort (MessageChannelMain) handed to the page, with
 * each tile as the message's binary payload (Electron cannot transfer an ArrayBuffer out of main:
 * it is copied once, by the structured clone). Electron's objects are parameters, so tests stub them.
 */
import { toErrorInfo } from '../../shared/errors'
import { IPC } from '../../shared/ipcChannels'
import type { EventMessage, OpenBatchSlot, OpenedRaster, ReplyMessage } from '../../shared/protocol'
import { joinTileFrame } from '../service/joinTileFrame'
import type { ServiceSink } from '../service/types'
import { isTrustedSender, untrustedSenderError, type SenderFrameLike, type TrustedOrigin } from './senderCheck'

/** A MessagePortMain (or worker_threads MessagePort in tests). */
export interface PortLike {
  postMessage(message: unknown): void
  start(): void
  close(): void
}

/** The parts of webContents used here. */
export interface WebContentsLike {
  readonly id: number
  postMessage(channel: string, message: unknown, transfer?: unknown[]): void
  once(event: 'destroyed', listener: () => void): unknown
}

/** An IPC event as Electron gives it to handlers. */
export interface IpcEventLike {
  readonly sender: WebContentsLike
  readonly senderFrame: SenderFrameLike | null
}

/** The parts of ipcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void
  removeHandler(channel: string): void
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown
  removeListener(channel: string, listener: (...args: never[]) => void): unknown
}

/** What this transport needs of a TextureService. */
export interface PageService {
  receive(value: unknown): Promise<ReplyMessage | null>
  /** Handles a task's notifications together (`NotifyBatch` as an array). */
  receiveNotifications(batch: unknown[]): void
  openHostPath(path: string, batch?: OpenBatchSlot): Promise<OpenedRaster>
  close(): Promise<void>
}

export interface ElectronTransportOptions {
  ipcMain: IpcMainLike
  trusted: TrustedOrigin
  /** `() => new MessageChannelMain()`. */
  createChannel: () => { port1: PortLike; port2: PortLike }
  createService: (sink: ServiceSink) => PageService
  /** Shows the native Open dialog for a page; resolves with the chosen paths. */
  showOpenDialog?: (contents: WebContentsLike) => Promise<string[]>
  /** Called for each file the host opened in a page (the app keeps its recent-files list with it). */
  onOpened?: (path: string, opened: OpenedRaster) => void
}

interface Page {
  service: PageService
  port: PortLike
}

/** Registers the IPC handlers; `dispose()` removes them and closes every page's service. */
export class ElectronTransport {
  private readonly pages = new Map<number, Page>()
  /** Paths to open when a page connects (command line, File menu before the page was ready). */
  private readonly waitingPaths = new Map<number, string[]>()
  /** Batches of paths opened so far: names each one (see OpenBatchSlot). */
  private batchCount = 0
  private readonly onNotify = (event: IpcEventLike, message: unknown): void => {
    if (!this.check(IPC.notify, event, false)) return
    const page = this.pages.get(event.sender.id)
    if (!page) return
    if (Array.isArray(message)) {
      page.service.receiveNotifications(message)
      return
    }
    // A malformed message that carries a call id is refused with a `reply-error`, which nobody
    // awaits on this fire-and-forget channel: it goes to the page as an `error` event instead, so
    // that no refusal is silent (as over the WebSocket, where every reply is sent).
    void page.service.receive(message).then((reply) => {
      if (reply?.type === 'reply-error') page.port.postMessage({ type: 'error', error: reply.error } satisfies EventMessage)
    })
  }

  constructor(private readonly options: ElectronTransportOptions) {
    const { ipcMain } = options
    ipcMain.handle(IPC.call, async (event, message) => {
      this.check(IPC.call, event, true)
      const page = this.pages.get(event.sender.id)
      if (!page) throw new Error(`Refused ${IPC.call}: the page has not connected (call tessera.connect() first)`)
      return page.service.receive(message)
    })
    ipcMain.handle(IPC.connect, async (event) => {
      this.check(IPC.connect, event, true)
      await this.connect(event.sender)
    })
    ipcMain.handle(IPC.openDialog, async (event) => {
      this.check(IPC.openDialog, event, true)
      const paths = (await this.options.showOpenDialog?.(event.sender)) ?? []
      return this.openPaths(event.sender, paths)
    })
    ipcMain.on(IPC.notify, this.onNotify)
  }

  /**
   * Opens files on the host's behalf in a page (pushed there as `raster-opened`); queued until the
   * page connects. Resolves with what was opened; failures are pushed as `error` events.
   */
  async openPaths(contents: WebContentsLike, paths: readonly string[]): Promise<OpenedRaster[]> {
    const page = this.pages.get(contents.id)
    if (!page) {
      const waiting = this.waitingPaths.get(contents.id) ?? []
      this.waitingPaths.set(contents.id, [...waiting, ...paths])
      return []
    }
    // All at once; each says its place in the order given, so the page stacks them in that order
    // (the last on top) whatever order they finish in.
    const batch = `open:${++this.batchCount}`
    const results = await Promise.all(
      paths.map(async (path, index) => {
        const slot: OpenBatchSlot = { batch, index, size: paths.length }
        try {
          return await page.service.openHostPath(path, slot)
        } catch (error) {
          page.port.postMessage({ type: 'error', error: toErrorInfo(error, 'open-failed'), batch: slot, file: path } satisfies EventMessage)
          return null
        }
      })
    )
    const opened: OpenedRaster[] = []
    results.forEach((raster, index) => {
      if (!raster) return
      opened.push(raster)
      this.options.onOpened?.(paths[index]!, raster)
    })
    return opened
  }

  /** Services of the pages connected now (for stats and tests). */
  get pageCount(): number {
    return this.pages.size
  }

  /** Removes the handlers and closes every service. Idempotent. */
  async dispose(): Promise<void> {
    const { ipcMain } = this.options
    ipcMain.removeHandler(IPC.call)
    ipcMain.removeHandler(IPC.connect)
    ipcMain.removeHandler(IPC.openDialog)
    ipcMain.removeListener(IPC.notify, this.onNotify as (...args: never[]) => void)
    const pages = [...this.pages.values()]
    this.pages.clear()
    await Promise.allSettled(pages.map((page) => this.closePage(page)))
  }

  /**
   * A new page (or a reload) gets a new port and a new service; the previous one is closed. The
   * new page is registered before the previous one is closed, with no await in between: when the
   * registration came after that await, connects that overlapped (a page calling connect() again
   * without waiting, a reload storm) each registered a service over another's and leaked it
   * unclosed, and a page destroyed during the await got a service nobody would close.
   */
  private async connect(contents: WebContentsLike): Promise<void> {
    const previous = this.pages.get(contents.id)
    if (!previous) {
      contents.once('destroyed', () => {
        const page = this.pages.get(contents.id)
        this.pages.delete(contents.id)
        this.waitingPaths.delete(contents.id)
        if (page) void this.closePage(page)
      })
    }
    const { port1, port2 } = this.options.createChannel()
    const sink: ServiceSink = {
      send: (message) => port1.postMessage(message),
      sendTile: (frame) => port1.postMessage(joinTileFrame(frame)) // one structured-clone copy either way
    }
    const page: Page = { service: this.options.createService(sink), port: port1 }
    this.pages.set(contents.id, page)
    port1.start()
    contents.postMessage(IPC.port, null, [port2])
    const waiting = this.waitingPaths.get(contents.id)
    this.waitingPaths.delete(contents.id)
    if (waiting?.length) void this.openPaths(contents, waiting)
    if (previous) await this.closePage(previous)
  }

  private async closePage(page: Page): Promise<void> {
    await page.service.close().catch((error: unknown) => console.error('[tessera] closing a page service failed:', error))
    page.port.close()
  }

  /** Throws (handle) or logs (on) for a sender that is not the app's page; true when trusted. */
  private check(channel: string, event: IpcEventLike, raise: boolean): boolean {
    if (isTrustedSender(event.senderFrame, this.options.trusted)) return true
    const error = untrustedSenderError(channel, event.senderFrame)
    if (raise) throw error
    console.warn(`[tessera] ${error.message}`)
    return false
  }
}
