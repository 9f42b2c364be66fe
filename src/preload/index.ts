/**
 * The preload (sandboxed, CommonJS): exposes `window.tessera` (see api.d.ts) through contextBridge.
 * No ipcRenderer object reaches the page: only these functions. The service's MessagePort is
 * forwarded to the page with window.postMessage, so tiles never cross contextBridge.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { IPC, isMenuCommand } from '../shared/ipcChannels'
import type { CallMessage, NotifyBatch, OpenedRaster, ReplyMessage } from '../shared/protocol'
import type { PortMessageData, TesseraPreloadApi } from './api'

/** The page's window, typed without the DOM library (main and preload are checked with Node types). */
const page = globalThis as unknown as { postMessage(data: unknown, targetOrigin: string, transfer: unknown[]): void }

ipcRenderer.on(IPC.port, (event) => {
  const data: PortMessageData = { type: 'tessera:port' }
  page.postMessage(data, '*', event.ports)
})

const api: TesseraPreloadApi = {
  call: (message: CallMessage) => ipcRenderer.invoke(IPC.call, message) as Promise<ReplyMessage>,
  notify: (batch: NotifyBatch) => ipcRenderer.send(IPC.notify, batch),
  connect: async () => {
    await ipcRenderer.invoke(IPC.connect)
  },
  pathForFile: (file: File) => webUtils.getPathForFile(file),
  showOpenDialog: () => ipcRenderer.invoke(IPC.openDialog) as Promise<OpenedRaster[]>,
  onMenuCommand: (listener) => {
    ipcRenderer.on(IPC.menuCommand, (_event, command: unknown) => {
      if (isMenuCommand(command)) listener(command)
    })
  }
}

contextBridge.exposeInMainWorld('tessera', api)
