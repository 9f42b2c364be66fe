/**
 * Errors a person must see: each a message whose title says what failed and whose body says why,
 * once (a cause that repeats the title, "Cannot open x.png: …", is cut to the why). One message per
 * cause: a message shown again with the same `cause key` replaces the earlier one. Each can be
 * dismissed; "Dismiss all" and Esc clear them. The rest of the window keeps working.
 */
import { element } from './format'

/** Messages shown at most at once; the older ones wait behind "N more" (they would cover the picture). */
export const MAX_ERRORS_SHOWN = 5

export interface ErrorOptions {
  /** Messages with the same key replace each other (one per cause: a layer's unreadable file, the connection). */
  key?: string
}

export class ErrorList {
  private readonly seen = new Map<string, HTMLElement>()
  private readonly dismissAll: HTMLButtonElement
  private readonly more: HTMLButtonElement
  private expanded = false

  constructor(private readonly root: HTMLElement) {
    root.classList.add('errors')
    this.dismissAll = element('button', 'error-dismiss-all', 'Dismiss all', { type: 'button', 'data-testid': 'errors-dismiss-all', title: 'Dismiss every message (Esc)' })
    this.dismissAll.hidden = true
    this.dismissAll.addEventListener('click', () => this.clear())
    this.more = element('button', 'error-more', '', { type: 'button', 'data-testid': 'errors-more' })
    this.more.hidden = true
    this.more.addEventListener('click', () => {
      this.expanded = !this.expanded
      this.refresh()
    })
    const actions = element('div', 'error-actions')
    actions.append(this.more, this.dismissAll)
    root.append(actions)
  }

  /** Shows an error; the same text twice shows once. Returns the element (data-testid "error"). */
  show(title: string, cause: string, options: ErrorOptions = {}): HTMLElement {
    const why = errorCause(title, cause)
    const key = options.key ?? `${title}: ${why}`
    const existing = this.seen.get(key)
    if (existing && existing.dataset.text === `${title}: ${why}`) return existing
    const item = element('div', 'error', undefined, { 'data-testid': 'error', role: 'alert' })
    item.dataset.text = `${title}: ${why}`
    const text = element('div', 'error-text')
    text.append(element('strong', 'error-title', title), element('span', 'error-cause', why))
    const close = element('button', 'error-close', '×', { 'aria-label': 'Dismiss', title: 'Dismiss' })
    close.addEventListener('click', () => this.dismiss(key))
    item.append(text, close)
    if (existing) existing.replaceWith(item)
    else this.root.insertBefore(item, this.dismissAll.parentElement)
    this.seen.set(key, item)
    this.refresh()
    return item
  }

  /** Removes the message of a key (a cause that went away: the connection came back). */
  dismiss(key: string): void {
    this.seen.get(key)?.remove()
    this.seen.delete(key)
    this.refresh()
  }

  /** Dismisses every message. */
  clear(): void {
    for (const item of this.seen.values()) item.remove()
    this.seen.clear()
    this.refresh()
  }

  /** Number of errors shown. */
  get count(): number {
    return this.seen.size
  }

  private refresh(): void {
    this.dismissAll.hidden = this.seen.size < 2
    const items = [...this.seen.values()]
    const hidden = this.expanded ? 0 : Math.max(0, items.length - MAX_ERRORS_SHOWN)
    // The newest stay in view; the oldest wait behind the button.
    items.forEach((item, i) => {
      item.hidden = i < hidden
    })
    this.more.hidden = items.length <= MAX_ERRORS_SHOWN
    this.more.textContent = this.expanded ? 'Show fewer' : `${hidden} more…`
    if (items.length <= MAX_ERRORS_SHOWN) this.expanded = false
  }
}

/**
 * The why of an error under its title: the cause without a leading "Cannot open <file>: " or
 * "Could not read <file>: " that the title already says.
 */
export function errorCause(title: string, cause: string): string {
  let why = cause.trim()
  if (/^(could not|cannot|can't)\b/i.test(title)) {
    const repeated = /^(?:could not|cannot|can't|failed to) (?:open|read|load|decode) .+?: (?=\S)/i.exec(why)
    if (repeated) why = why.slice(repeated[0].length)
  }
  return why.replace(/[\s:]+$/, '')
}
