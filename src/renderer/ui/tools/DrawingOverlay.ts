/**
 * What a tool draws over the view (issue 23): the line or polygon being drawn, its vertices, labels
 * (segment lengths, the total, the area) and the profile's marker. An SVG laid over the canvas inside
 * the element the view turns (`ViewOrientation.canvasHost`), in the camera's screen pixels: drawn
 * again from world points at each frame, it follows pan, zoom and turn. It takes no pointer events.
 */
import type { Point } from '../../../shared/geo/affine'
import type { ViewState } from '../../view/TileScheduler'
import { worldToScreen } from '../../view/layerView'

const SVG = 'http://www.w3.org/2000/svg'

/** What to draw, in world points. */
export interface Drawing {
  vertices: readonly Point[]
  /** The point under the pointer while drawing (the next vertex, shown as a dashed segment). */
  pending: Point | null
  closed: boolean
  /** Text at the middle of each segment (a polygon's closing segment last). */
  segmentLabels: readonly string[]
  /** Text beside the last vertex (the total), and at the polygon's centre (its area). */
  totalLabel: string | null
  areaLabel: string | null
  /** The profile's point under the chart's cursor. */
  marker: Point | null
}

export const EMPTY_DRAWING: Drawing = { vertices: [], pending: null, closed: false, segmentLabels: [], totalLabel: null, areaLabel: null, marker: null }

export class DrawingOverlay {
  readonly root: SVGSVGElement

  constructor(host: HTMLElement) {
    this.root = document.createElementNS(SVG, 'svg')
    this.root.classList.add('tool-overlay')
    this.root.dataset.testid = 'tool-overlay'
    this.root.setAttribute('aria-hidden', 'true')
    host.append(this.root)
  }

  /**
   * Draws `drawing` under the camera `view`; labels are turned back by the view's `turn` (its
   * quarter turns and mirror, see ViewOrientation), so that they read upright on screen.
   */
  draw(drawing: Drawing, view: ViewState, turn: { quarterTurns: number; flipped: boolean } = { quarterTurns: 0, flipped: false }): void {
    const root = this.root
    const label = (p: Point, text: string, className: string): SVGTextElement => labelAt(p, text, className, turn)
    root.setAttribute('viewBox', `0 0 ${view.width} ${view.height}`)
    root.replaceChildren()
    const screen = drawing.vertices.map((p) => worldToScreen(view, p))
    const path = (points: Point[], closed: boolean, className: string): void => {
      if (points.length < 2) return
      const shape = document.createElementNS(SVG, closed ? 'polygon' : 'polyline')
      shape.setAttribute('points', points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' '))
      shape.classList.add(className)
      root.append(shape)
    }
    path(screen, drawing.closed && screen.length >= 3, 'tool-line')
    if (drawing.pending && screen.length > 0) {
      const next = worldToScreen(view, drawing.pending)
      path(drawing.closed && screen.length >= 2 ? [screen.at(-1)!, next, screen[0]!] : [screen.at(-1)!, next], false, 'tool-pending')
    }
    for (const p of screen) root.append(circle(p, 4, 'tool-vertex'))
    const ring = drawing.closed && screen.length >= 3 ? [...screen, screen[0]!] : screen
    drawing.segmentLabels.forEach((text, i) => {
      const a = ring[i]
      const b = ring[i + 1]
      if (a && b) root.append(label({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, text, 'tool-label'))
    })
    if (drawing.totalLabel && screen.length > 0) {
      // Beside the last point, on its left near the right edge of the view (the text stays on screen).
      const last = screen.at(-1)!
      const left = last.x > view.width - 120
      const total = label({ x: last.x + (left ? -8 : 8), y: last.y - 8 }, drawing.totalLabel, 'tool-label tool-total')
      if (left) total.style.textAnchor = 'end'
      root.append(total)
    }
    if (drawing.areaLabel && screen.length >= 3) {
      const c = screen.reduce((s, p) => ({ x: s.x + p.x / screen.length, y: s.y + p.y / screen.length }), { x: 0, y: 0 })
      root.append(label(c, drawing.areaLabel, 'tool-label tool-area'))
    }
    if (drawing.marker) {
      const m = circle(worldToScreen(view, drawing.marker), 6, 'tool-marker')
      m.dataset.testid = 'profile-marker'
      root.append(m)
    }
  }

  destroy(): void {
    this.root.remove()
  }
}

function circle(p: Point, r: number, className: string): SVGCircleElement {
  const c = document.createElementNS(SVG, 'circle')
  c.setAttribute('cx', p.x.toFixed(1))
  c.setAttribute('cy', p.y.toFixed(1))
  c.setAttribute('r', String(r))
  c.classList.add(className)
  return c
}

function labelAt(p: Point, text: string, className: string, turn: { quarterTurns: number; flipped: boolean }): SVGTextElement {
  const t = document.createElementNS(SVG, 'text')
  const x = p.x.toFixed(1)
  const y = p.y.toFixed(1)
  t.setAttribute('x', x)
  t.setAttribute('y', y)
  t.setAttribute('class', className)
  // The canvas' host is turned by CSS (rotate, then mirror): undo both about the label's anchor.
  if (turn.quarterTurns % 4 !== 0 || turn.flipped) {
    t.setAttribute('transform', `translate(${x} ${y})${turn.flipped ? ' scale(-1 1)' : ''} rotate(${-turn.quarterTurns * 90}) translate(${-p.x.toFixed(1)} ${-p.y.toFixed(1)})`)
  }
  t.textContent = text
  return t
}
