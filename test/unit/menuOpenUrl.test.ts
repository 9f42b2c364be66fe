/**
 * File > Open URL… in Electron (issue 24): the menu item (Ctrl+L) asks the page to show its Open
 * URL… dialog by a menu command that the preload forwards to the page, and nothing but the
 * commands the page knows. Electron's objects are the edge that cannot run here: the preload runs
 * against a stand-in of `ipcRenderer` and `contextBridge`.
 */
import { describe, expect, it, vi } from 'vitest'
import { buildMenuTemplate, type MenuActions } from '../../src/main/host/menuTemplate'
import { IPC, isMenuCommand } from '../../src/shared/ipcChannels'
import type { TesseraPreloadApi } from '../../src/preload/api'

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  listeners: new Map<string, Array<(event: unknown, ...args: unknown[]) => void>>()
}))

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => electron.exposed.set(name, api) },
  ipcRenderer: {
    on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
      electron.listeners.set(channel, [...(electron.listeners.get(channel) ?? []), listener])
    },
    invoke: async () => undefined,
    send: () => undefined
  },
  webUtils: { getPathForFile: () => '' }
}))

function actions(calls: string[]): MenuActions {
  return { open: () => calls.push('open'), openUrl: () => calls.push('open-url'), openRecent: (path) => calls.push(`recent ${path}`), clearRecent: () => calls.push('clear') }
}

describe('the File menu', () => {
  it.each(['linux', 'win32', 'darwin'])('on %s has Open URL… with Ctrl+L (Cmd+L on a Mac) right after Open…, asking the page for its dialog', (platform) => {
    const calls: string[] = []
    const file = buildMenuTemplate(actions(calls), [], platform).find((menu) => menu.label === 'File')!.submenu!
    expect(file.slice(0, 2).map((item) => item.label)).toEqual(['Open…', 'Open URL…'])
    expect(file[1]).toMatchObject({ id: 'open-url', accelerator: 'CmdOrCtrl+L' })
    file[1]!.click!()
    expect(calls).toEqual(['open-url'])
  })
})

describe('the preload', () => {
  it("forwards the menu's open-url command to the page's listener, and nothing it does not know", async () => {
    await import('../../src/preload/index')
    const api = electron.exposed.get('tessera') as TesseraPreloadApi
    const heard: string[] = []
    api.onMenuCommand((command) => heard.push(command))
    const deliver = (command: unknown): void => electron.listeners.get(IPC.menuCommand)!.forEach((listener) => listener({}, command))
    deliver('open-url')
    deliver('quit')
    deliver({ command: 'open-url' })
    expect(heard).toEqual(['open-url'])
    expect(isMenuCommand('open-url')).toBe(true)
    expect(isMenuCommand('open')).toBe(false)
  })
})
