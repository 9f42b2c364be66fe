/**
 * The sidebar's width, set by dragging its left edge (or with the arrow keys on that edge): kept
 * between SIDEBAR_MIN and half the window, stored in the `--sidebar-width` property of the grid.
 */
import { element } from './format'

export const SIDEBAR_MIN = 200
export const SIDEBAR_MAX_SHARE = 0.5

/** The width the sidebar takes for a wanted width in a window `windowWidth` wide. */
export function clampSidebarWidth(width: number, windowWidth: number): number {
  return Math.round(Math.max(SIDEBAR_MIN, Math.min(Math.max(SIDEBAR_MIN, windowWidth * SIDEBAR_MAX_SHARE), width)))
}

export function installSidebarResizer(app: HTMLElement, sidebar: HTMLElement): HTMLElement {
  const handle = element('div', 'sidebar-resizer', undefined, {
    role: 'separator', 'aria-orientation': 'vertical', 'aria-label': 'Sidebar width', tabindex: '0', title: 'Drag to resize the sidebar', 'data-testid': 'sidebar-resizer'
  })
  sidebar.before(handle)
  const set = (width: number): void => {
    const w = clampSidebarWidth(width, app.clientWidth)
    app.style.setProperty('--sidebar-width', `${w}px`)
    handle.setAttribute('aria-valuenow', String(w))
  }
  handle.addEventListener('pointerdown', (e) => {
    e.preventDefault()
    handle.setPointerCapture(e.pointerId)
    const move = (m: PointerEvent): void => set(app.getBoundingClientRect().right - m.clientX)
    const up = (): void => {
      handle.removeEventListener('pointermove', move)
      handle.removeEventListener('pointerup', up)
      handle.removeEventListener('pointercancel', up)
    }
    handle.addEventListener('pointermove', move)
    handle.addEventListener('pointerup', up)
    handle.addEventListener('pointercancel', up)
  })
  handle.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return
    e.preventDefault()
    e.stopPropagation()
    set(sidebar.getBoundingClientRect().width + (e.key === 'ArrowLeft' ? 20 : -20))
  })
  return handle
}
