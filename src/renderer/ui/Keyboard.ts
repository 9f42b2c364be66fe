/**
 * The window's keyboard shortcuts (SHORTCUTS): one listener, in the capture phase so that a key
 * that browses (← / → while browsing) is not also a pan of the camera. Keys typed into a text or
 * number field, or a list, stay there; Esc always reaches us.
 */
import { shortcutFor, type ShortcutAction } from './shortcuts'

export type ShortcutHandlers = Partial<Record<ShortcutAction, () => void>>

/** Installs the listener; returns its removal. `browsing` says whether the window shows one file at a time. */
export function installKeyboard(handlers: ShortcutHandlers, browsing: () => boolean, target: Window = window): () => void {
  const listener = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' && typesText(event.target)) return
    if (/^(Arrow|Page|Home$|End$)/.test(event.key) && !event.altKey && usesArrows(event.target)) return
    const shortcut = shortcutFor(event, browsing())
    const handler = shortcut?.action ? handlers[shortcut.action] : undefined
    if (!handler) return
    event.preventDefault()
    event.stopPropagation()
    handler()
  }
  target.addEventListener('keydown', listener, { capture: true })
  return () => target.removeEventListener('keydown', listener, { capture: true })
}

/** True for an element that moves with the arrow keys itself: a slider, a splitter. */
function usesArrows(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  if (!el || typeof el.getAttribute !== 'function') return false
  return (el.tagName === 'INPUT' && (el as HTMLInputElement).type === 'range') || ['separator', 'slider'].includes(el.getAttribute('role') ?? '')
}

/** True for an element that takes typed keys: text and number fields, lists, editable text (also where pasted or dropped text goes). */
export function typesText(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  if (!el || typeof el.tagName !== 'string') return false
  if (el.isContentEditable || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true
  if (el.tagName !== 'INPUT') return false
  const type = (el as HTMLInputElement).type
  return !['checkbox', 'radio', 'range', 'button', 'submit', 'file', 'color'].includes(type)
}
