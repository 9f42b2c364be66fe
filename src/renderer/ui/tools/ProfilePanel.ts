/**
 * The profile's panel (issue 23): a chart of distance against value for every layer sampled (no
 * data as gaps in its line), a table of the values at the line's vertices (with each layer's pixel
 * there), and the CSV export. The cursor on the chart names the sample under it and marks it on
 * the view (`onHover`).
 */
import { element, formatSample } from '../format'
import type { Profile } from './profileData'
import { formatLength } from './measure'
import { profileCsv } from './profileCsv'

const SVG = 'http://www.w3.org/2000/svg'
const WIDTH = 440
const HEIGHT = 170
const MARGIN = { left: 52, right: 10, top: 10, bottom: 24 }
/** Colours of the layers' lines, in order (a layer beyond them takes the first again). */
const COLOURS = ['#8ab4f8', '#f6ae2d', '#81c995', '#f28b82', '#c58af9', '#78d9ec']

export interface ProfilePanelActions {
  /** The sample under the chart's cursor (null: none). */
  onHover(index: number | null): void
  close(): void
}

export class ProfilePanel {
  readonly root: HTMLElement
  private readonly body: HTMLElement
  private readonly status: HTMLElement
  private profile: Profile | null = null

  constructor(parent: HTMLElement, private readonly actions: ProfilePanelActions) {
    this.root = element('section', 'tool-panel profile-panel', undefined, { 'data-testid': 'profile-panel', 'aria-label': 'Profile' })
    const head = element('div', 'tool-panel-head')
    const close = element('button', 'tool-panel-close', '×', { type: 'button', title: 'Close the profile (Esc)', 'aria-label': 'Close the profile' })
    close.addEventListener('click', () => actions.close())
    head.append(element('h2', 'tool-panel-title', 'Profile'), close)
    this.status = element('p', 'tool-panel-status', '', { 'data-testid': 'profile-status', role: 'status' })
    this.body = element('div', 'tool-panel-body')
    this.root.append(head, this.status, this.body)
    this.root.hidden = true
    parent.append(this.root)
  }

  /** Shows a message instead of a profile ("Click to add points…", "Sampling…", an error). */
  showMessage(text: string): void {
    this.root.hidden = false
    this.profile = null
    this.status.textContent = text
    this.body.replaceChildren()
    delete this.root.dataset.ready
  }

  /** Shows a profile: its chart, its vertices' values and the CSV export. */
  show(profile: Profile): void {
    this.root.hidden = false
    this.profile = profile
    const length = profile.distances.at(-1) ?? 0
    this.status.textContent = `${profile.distances.length} samples over ${formatLength(length, profile.method)} (${profile.method})`
    const legend = element('div', 'profile-legend')
    profile.columns.forEach((c, i) => {
      const item = element('span', 'profile-legend-item', c.name)
      item.style.setProperty('--swatch', COLOURS[i % COLOURS.length]!)
      legend.append(item)
    })
    const readout = element('p', 'profile-readout', '\u00a0', { 'data-testid': 'profile-readout' })
    const csv = element('button', 'tool', 'Export CSV', { type: 'button', 'data-testid': 'profile-csv', title: 'Save the profile as CSV: distance, x, y, one column per layer' })
    csv.addEventListener('click', () => this.download())
    this.body.replaceChildren(legend, this.chart(profile, readout), readout, this.vertexTable(profile), csv)
    this.root.dataset.ready = 'true'
  }

  hide(): void {
    this.root.hidden = true
    this.profile = null
    this.body.replaceChildren()
    delete this.root.dataset.ready
  }

  /** The CSV text of the profile shown (null: none). */
  csv(): string | null {
    const p = this.profile
    if (!p) return null
    return profileCsv({ distanceHeading: p.method === 'geodesic, WGS 84' ? 'distance_m' : 'distance_map_units', distances: p.distances, points: p.points, columns: p.columns })
  }

  private download(): void {
    const text = this.csv()
    if (text === null) return
    const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }))
    const link = element('a', undefined, undefined, { href: url, download: 'profile.csv' })
    document.body.append(link)
    link.click()
    link.remove()
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
  }

  private chart(profile: Profile, readout: HTMLElement): SVGSVGElement {
    const svg = document.createElementNS(SVG, 'svg')
    svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`)
    svg.classList.add('profile-chart')
    svg.dataset.testid = 'profile-chart'
    const values = profile.columns.flatMap((c) => c.values.filter((v): v is number => v !== null && Number.isFinite(v)))
    const length = profile.distances.at(-1) || 1
    let lo = values.length > 0 ? Math.min(...values) : 0
    let hi = values.length > 0 ? Math.max(...values) : 1
    if (hi === lo) [lo, hi] = [lo - 0.5, hi + 0.5]
    const plotW = WIDTH - MARGIN.left - MARGIN.right
    const plotH = HEIGHT - MARGIN.top - MARGIN.bottom
    const sx = (d: number): number => MARGIN.left + (d / length) * plotW
    const sy = (v: number): number => MARGIN.top + (1 - (v - lo) / (hi - lo)) * plotH
    const add = (tag: string, attributes: Record<string, string>, text?: string): SVGElement => {
      const el = document.createElementNS(SVG, tag)
      for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v)
      if (text !== undefined) el.textContent = text
      svg.append(el)
      return el
    }
    add('rect', { x: String(MARGIN.left), y: String(MARGIN.top), width: String(plotW), height: String(plotH), class: 'profile-frame' })
    for (const v of [lo, (lo + hi) / 2, hi]) add('text', { x: String(MARGIN.left - 4), y: String(sy(v) + 4), class: 'profile-axis', 'text-anchor': 'end' }, compact(v))
    add('text', { x: String(MARGIN.left), y: String(HEIGHT - 6), class: 'profile-axis' }, '0')
    add('text', { x: String(WIDTH - MARGIN.right), y: String(HEIGHT - 6), class: 'profile-axis', 'text-anchor': 'end' }, formatLength(length, profile.method))
    for (const index of profile.vertexIndices) add('line', { x1: String(sx(profile.distances[index]!)), x2: String(sx(profile.distances[index]!)), y1: String(MARGIN.top), y2: String(MARGIN.top + plotH), class: 'profile-vertex-line' })
    profile.columns.forEach((c, i) => {
      let d = ''
      let pen = false
      c.values.forEach((v, k) => {
        if (v === null || !Number.isFinite(v)) {
          pen = false
          return
        }
        d += `${pen ? 'L' : 'M'}${sx(profile.distances[k]!).toFixed(1)},${sy(v).toFixed(1)}`
        pen = true
      })
      const line = add('path', { d, class: 'profile-line' })
      line.style.stroke = COLOURS[i % COLOURS.length]!
    })
    const cursor = add('line', { y1: String(MARGIN.top), y2: String(MARGIN.top + plotH), class: 'profile-cursor', visibility: 'hidden' })
    svg.addEventListener('pointermove', (e) => {
      const box = svg.getBoundingClientRect()
      const x = ((e.clientX - box.left) / box.width) * WIDTH
      const d = ((x - MARGIN.left) / plotW) * length
      const index = nearestIndex(profile.distances, d)
      const at = sx(profile.distances[index]!)
      cursor.setAttribute('x1', String(at))
      cursor.setAttribute('x2', String(at))
      cursor.setAttribute('visibility', 'visible')
      const p = profile.points[index]!
      readout.textContent = `${formatLength(profile.distances[index]!, profile.method)} · ${p.x.toFixed(2)}, ${p.y.toFixed(2)} · ${profile.columns.map((c) => `${c.name}: ${formatSampleOrGap(c.values[index] ?? null, c.sampleType)}`).join(' · ')}`
      this.actions.onHover(index)
    })
    svg.addEventListener('pointerleave', () => {
      cursor.setAttribute('visibility', 'hidden')
      readout.textContent = '\u00a0'
      this.actions.onHover(null)
    })
    return svg
  }

  private vertexTable(profile: Profile): HTMLTableElement {
    const table = element('table', 'profile-vertices', undefined, { 'data-testid': 'profile-vertices' })
    const head = element('tr')
    head.append(element('th', undefined, '#'), element('th', undefined, 'Distance'), element('th', undefined, 'x'), element('th', undefined, 'y'))
    for (const c of profile.columns) head.append(element('th', undefined, c.name))
    table.append(head)
    profile.vertexIndices.forEach((index, v) => {
      const row = element('tr', undefined, undefined, { 'data-testid': 'profile-vertex' })
      const p = profile.points[index]!
      row.append(element('td', undefined, String(v + 1)), element('td', undefined, formatLength(profile.distances[index]!, profile.method)), element('td', undefined, p.x.toFixed(2)), element('td', undefined, p.y.toFixed(2)))
      for (const c of profile.columns) {
        const value = c.values[index] ?? null
        const pixel = c.pixels[index]!
        row.append(
          element('td', 'profile-value', formatSampleOrGap(value, c.sampleType), {
            'data-testid': 'profile-vertex-value',
            'data-raster': c.rasterId,
            'data-col': String(pixel.x),
            'data-row': String(pixel.y),
            'data-value': value === null ? '' : String(value),
            title: `pixel ${pixel.x}, ${pixel.y}`
          })
        )
      }
      table.append(row)
    })
    return table
  }
}

/** The index of the distance nearest `d` (distances ascending). */
function nearestIndex(distances: readonly number[], d: number): number {
  let lo = 0
  let hi = distances.length - 1
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if (distances[mid]! < d) lo = mid
    else hi = mid
  }
  return Math.abs(distances[lo]! - d) <= Math.abs(distances[hi]! - d) ? lo : hi
}

function compact(v: number): string {
  return Math.abs(v) >= 1000 || Number.isInteger(v) ? v.toFixed(0) : v.toPrecision(4)
}

/** A profile value as its band holds it, or the gap's words. */
function formatSampleOrGap(value: number | null, sampleType: string): string {
  return value === null ? 'no data' : formatSample(value, sampleType)
}
