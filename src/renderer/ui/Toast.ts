/** Short notices that go away on their own ("Copied …", "Saved …"). */
import { element } from './format'

/** How long a notice stays (ms). */
export const TOAST_MS = 4000

export class Toast {
  private readonly root: HTMLElement
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(parent: HTMLElement) {
    this.root = element('div', 'toast', '', { 'data-testid': 'toast', role: 'status', 'aria-live': 'polite' })
    this.root.hidden = true
    parent.append(this.root)
  }

  show(text: string): void {
    this.root.textContent = text
    this.root.hidden = false
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.root.hidden = true
    }, TOAST_MS)
  }
}
