/** The tools' group in the toolbar (issue 23): Profile, Distance, Area, one pressed at a time. */
import { element } from '../format'

export type ToolName = 'profile' | 'distance' | 'area'

/** Each tool's button: label, title (with its key), test id. */
const BUTTONS: ReadonlyArray<{ tool: ToolName; label: string; title: string }> = [
  { tool: 'profile', label: 'Profile', title: 'Profile along a line (p): click to add points, double-click or Enter to finish' },
  { tool: 'distance', label: 'Distance', title: 'Measure a distance (m): click to add points, double-click or Enter to finish' },
  { tool: 'area', label: 'Area', title: 'Measure an area (Shift+M): click to add corners, double-click or Enter to finish' }
]

export class ToolsBar {
  readonly root: HTMLElement
  private readonly buttons = new Map<ToolName, HTMLButtonElement>()

  /** Puts the group in `toolbar`, before its spacer (or at its end). */
  constructor(toolbar: HTMLElement, toggle: (tool: ToolName) => void) {
    this.root = element('span', 'tool-group', undefined, { role: 'group', 'aria-label': 'Tools', 'data-testid': 'tools' })
    for (const { tool, label, title } of BUTTONS) {
      const b = element('button', 'tool', label, { type: 'button', title, 'aria-pressed': 'false', 'data-testid': `tool-${tool}` })
      b.addEventListener('click', () => toggle(tool))
      this.buttons.set(tool, b)
      this.root.append(b)
    }
    toolbar.insertBefore(this.root, toolbar.querySelector('.tool-spacer'))
  }

  /** Shows which tool is active (null: none). */
  setActive(active: ToolName | null): void {
    for (const [tool, b] of this.buttons) b.setAttribute('aria-pressed', String(tool === active))
  }
}
