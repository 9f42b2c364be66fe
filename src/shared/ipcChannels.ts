/** Names of the Electron IPC channels between the preload and main (one place, both sides). */
export const IPC = {
  /** invoke: a CallMessage → its reply (ServerMessage). */
  call: 'tessera:call',
  /** send: a NotifyMessage. */
  notify: 'tessera:notify',
  /** invoke: asks for a fresh service port; main posts it back on `port`. */
  connect: 'tessera:connect',
  /** main → preload: carries the MessagePort of the service. */
  port: 'tessera:port',
  /** invoke: shows the native Open dialog → OpenedRaster[]. */
  openDialog: 'tessera:open-dialog'
} as const
