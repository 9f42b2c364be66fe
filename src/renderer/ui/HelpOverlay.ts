/** The keyboard help (`?`): every shortcut and gesture of SHORTCUTS, by group, over the view. Esc or a click outside closes it. */
import { element } from './format'
import { helpRows, type Shortcut } from './shortcuts'

export class HelpOverlay {
  readonly root: HTMLElement

  constructor(parent: HTMLElement, shortcuts?: readonly Shortcut[]) {
    this.root = element('div', 'help-overlay', undefined, { 'data-testid': 'help', role: 'dialog', 'aria-label': 'Keyboard shortcuts', 'aria-modal': 'true' })
    this.root.hidden = true
    const box = element('div', 'help-box')
    const close = element('button', 'help-close', '×', { type: 'button', title: 'Close (Esc)', 'aria-label': 'Close the help' })
    close.addEventListener('click', () => this.hide())
    box.append(close, element('h2', 'help-title', 'Keyboard and mouse'))
    const rows = helpRows(shortcuts)
    for (const group of ['Files', 'View', 'Layers', 'Tools', 'Window'] as const) {
      const inGroup = rows.filter((r) => r.group === group)
      if (inGroup.length === 0) continue
      const table = element('dl', 'help-table')
      for (const row of inGroup) table.append(element('dt', undefined, row.keys), element('dd', undefined, row.description))
      box.append(element('h3', 'help-group', group), table)
    }
    this.root.append(box)
    this.root.addEventListener('click', (e) => {
      if (e.target === this.root) this.hide()
    })
    parent.append(this.root)
  }

  get open(): boolean {
    return !this.root.hidden
  }

  toggle(): void {
    if (this.open) this.hide()
    else this.show()
  }

  show(): void {
    this.root.hidden = false
  }

  hide(): void {
    this.root.hidden = true
  }
}
