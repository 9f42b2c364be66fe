/**
 * The measurement's panel (issue 23): how it was measured ("geodesic, WGS 84" or "planar, map
 * units"), each segment's length, the total, and a polygon's area.
 */
import { element } from '../format'
import { type Measurement, formatArea, formatLength } from './measure'

export class MeasurePanel {
  readonly root: HTMLElement
  private readonly method: HTMLElement
  private readonly segments: HTMLOListElement
  private readonly total: HTMLElement
  private readonly area: HTMLElement
  private readonly hint: HTMLElement

  constructor(parent: HTMLElement, close: () => void) {
    this.root = element('section', 'tool-panel measure-panel', undefined, { 'data-testid': 'measure-panel', 'aria-label': 'Measure' })
    const head = element('div', 'tool-panel-head')
    const closeButton = element('button', 'tool-panel-close', '×', { type: 'button', title: 'Stop measuring (Esc)', 'aria-label': 'Stop measuring' })
    closeButton.addEventListener('click', close)
    head.append(element('h2', 'tool-panel-title', 'Measure'), closeButton)
    this.method = element('p', 'tool-panel-status', '', { 'data-testid': 'measure-method' })
    this.hint = element('p', 'tool-panel-hint', '')
    this.segments = element('ol', 'measure-segments', undefined, { 'data-testid': 'measure-segments' })
    this.total = element('p', 'measure-total', '', { 'data-testid': 'measure-total' })
    this.area = element('p', 'measure-area', '', { 'data-testid': 'measure-area' })
    this.root.append(head, this.method, this.hint, this.segments, this.total, this.area)
    this.root.hidden = true
    parent.append(this.root)
  }

  /** Shows a measurement (null: nothing drawn yet) of map points `points` and a hint of what to do next. */
  show(m: Measurement | null, polygon: boolean, hint: string, points: ReadonlyArray<{ x: number; y: number }> = []): void {
    this.root.hidden = false
    // The map points measured, for people debugging and for tests that measure them again.
    this.root.dataset.points = JSON.stringify(points.map((p) => [p.x, p.y]))
    this.hint.textContent = hint
    this.method.textContent = m ? m.method : ''
    this.segments.replaceChildren(
      ...(m?.segments ?? []).map((s) => element('li', undefined, formatLength(s, m!.method), { 'data-testid': 'measure-segment', 'data-value': String(s) }))
    )
    this.total.textContent = m ? `${polygon ? 'Perimeter' : 'Total'}: ${formatLength(m.total, m.method)}` : ''
    this.total.dataset.value = m ? String(m.total) : ''
    this.area.hidden = !polygon
    this.area.textContent = m?.area != null ? `Area: ${formatArea(m.area, m.method)}` : ''
    this.area.dataset.value = m?.area != null ? String(m.area) : ''
  }

  hide(): void {
    this.root.hidden = true
  }
}
