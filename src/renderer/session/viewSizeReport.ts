/**
 * Tells the service the view's size, on connecting and whenever it changes: a photo opened then
 * decodes first the overview its fit view shows (a 1024² level in a laptop's window, not 2048²).
 */
import type { TesseraBridge } from '../bridge/types'

/** What the report reads of the viewer: its size now, and a hook called after each frame. */
export interface SizedView {
  readonly view: { readonly width: number; readonly height: number }
  onFrame(listener: () => void): () => void
}

/** Says the view's size now and after every frame where it changed; returns what stops it. */
export function reportViewSize(bridge: TesseraBridge, viewer: SizedView, isOpen: () => boolean): () => void {
  let said = ''
  const say = (): void => {
    if (!isOpen()) return
    const size = { width: Math.round(viewer.view.width), height: Math.round(viewer.view.height) }
    const key = `${size.width}×${size.height}`
    if (key === said) return
    said = key
    bridge.calls['view-size'](size).catch(() => undefined) // a host without it opens at its default overview
  }
  const offConnection = bridge.on('connection', (state) => {
    said = '' // a new connection knows nothing yet
    if (state === 'open') say()
  })
  const offFrame = viewer.onFrame(say)
  say()
  return () => {
    offConnection()
    offFrame()
  }
}
