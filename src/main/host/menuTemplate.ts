/**
 * The application menu as a plain template (Electron's MenuItemConstructorOptions shape), built
 * from callbacks so that tests read it without Electron: File > Open…, Open URL…, Open Recent,
 * Close Window.
 */
import { basename } from 'node:path'

/** One menu item, the subset of Electron's MenuItemConstructorOptions used here. */
export interface MenuItemTemplate {
  /** Found by `Menu.getMenuItemById` (the Electron specs click it so). */
  id?: string
  label?: string
  role?: string
  type?: 'separator' | 'submenu' | 'normal'
  accelerator?: string
  enabled?: boolean
  click?: () => void
  submenu?: MenuItemTemplate[]
}

export interface MenuActions {
  open: () => void
  /** Asks the page to show its Open URL… dialog (the page reads the URL; the host fetches it). */
  openUrl: () => void
  openRecent: (path: string) => void
  clearRecent: () => void
}

/** The menu template; `recent` is most recent first. */
export function buildMenuTemplate(actions: MenuActions, recent: readonly string[], platform: string = process.platform): MenuItemTemplate[] {
  const recentItems: MenuItemTemplate[] =
    recent.length === 0
      ? [{ label: 'No Recent Files', enabled: false }]
      : [
          ...recent.map((path) => ({ label: `${basename(path)} — ${path}`, click: () => actions.openRecent(path) })),
          { type: 'separator' as const },
          { label: 'Clear Recent', click: actions.clearRecent }
        ]
  const file: MenuItemTemplate = {
    label: 'File',
    submenu: [
      { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: actions.open },
      { id: 'open-url', label: 'Open URL…', accelerator: 'CmdOrCtrl+L', click: actions.openUrl },
      { label: 'Open Recent', submenu: recentItems },
      { type: 'separator' },
      platform === 'darwin' ? { role: 'close' } : { role: 'quit' }
    ]
  }
  const template: MenuItemTemplate[] = [file, { role: 'editMenu' }, { role: 'viewMenu' }, { role: 'windowMenu' }]
  if (platform === 'darwin') template.unshift({ role: 'appMenu' })
  return template
}
