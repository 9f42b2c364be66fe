/**
 * Errors a person must see: each one a message naming the file and the cause, dismissable.
 * The rest of the window keeps working.
 */
import { element } from './format'

/** How long an error stays at most before it fades on its own (ms); 0 keeps it until dismissed. */
const AUTO_DISMISS_MS = 0

export class ErrorList {
  private readonly seen = new Map<string, HTMLElement>()

  constructor(private readonly root: HTMLElement) {
    root.classList.add('errors')
  }

  /** Shows an error; the same text twice shows once. Returns the element (data-testid "error"). */
  show(title: string, cause: string): HTMLElement {
    const text = `${title}: ${cause}`
    const existing = this.seen.get(text)
    if (existing) return existing
    const item = element('div', 'error', undefined, { 'data-testid': 'error', role: 'alert' })
    item.append(element('strong', 'error-title', title), element('span', 'error-cause', cause))
    const close = element('button', 'error-close', '×', { 'aria-label': 'Dismiss', title: 'Dismiss' })
    close.addEventListener('click', () => this.dismiss(text))
    item.append(close)
    this.root.append(item)
    this.seen.set(text, item)
    if (AUTO_DISMISS_MS > 0) setTimeout(() => this.dismiss(text), AUTO_DISMISS_MS)
    return item
  }

  /** Number of errors shown. */
  get count(): number {
    return this.seen.size
  }

  private dismiss(text: string): void {
    this.seen.get(text)?.remove()
    this.seen.delete(text)
  }
}
