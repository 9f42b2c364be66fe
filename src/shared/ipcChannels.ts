/** Names of the Electron IPC channels between the preload and main (one place, both sides). */
export const IPC = {
  /** invoke: a CallMessage → its reply (ServerMessage). */
  call: 'tessera:call',
  /** send: a NotifyBatch (a task's notifications). */
  notify: 'tessera:notify',
  /** invoke: asks for a fresh service port; main posts it back on `port`. */
  connect: 'tessera:connect',
  /** main → preload: carries the MessagePort of the service. */
  port: 'tessera:port',
  /** invoke: shows the native Open dialog → OpenedRaster[]. */
  openDialog: 'tessera:open-dialog',
  /** main → preload: a command of the application menu for the page (a `MenuCommand`). */
  menuCommand: 'tessera:menu-command'
} as const

/** What the application menu asks of the page: 'open-url' shows its Open URL… dialog. */
export const MENU_COMMANDS = ['open-url'] as const
export type MenuCommand = (typeof MENU_COMMANDS)[number]

/** True for a command the page knows (the preload forwards nothing else). */
export function isMenuCommand(value: unknown): value is MenuCommand {
  return (MENU_COMMANDS as readonly unknown[]).includes(value)
}
