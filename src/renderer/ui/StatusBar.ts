/**
 * The status bar: zoom, pixel coordinates under the cursor, the original value(s) there, map
 * coordinates when georeferenced, and loading activity (pending / active tiles, one progress bar
 * per pyramid being built or file being uploaded).
 */
import type { Georeference } from '../../shared/raster'
import { element, formatMapCoordinate, formatValue, formatZoom } from './format'

/** What is under the cursor. */
export interface Readout {
  x: number
  y: number
  /** Name of the layer the values come from. */
  layer?: string
  values?: number[]
  /** Pyramid level the values were read at (0 = full resolution). */
  level?: number
  georeference?: Georeference | null
}

export class StatusBar {
  readonly root: HTMLElement
  private readonly zoom: HTMLElement
  private readonly position: HTMLElement
  private readonly value: HTMLElement
  private readonly map: HTMLElement
  private readonly pending: HTMLElement
  private readonly progressBox: HTMLElement
  private readonly bars = new Map<string, { row: HTMLElement; bar: HTMLProgressElement }>()

  constructor(parent: HTMLElement) {
    this.root = element('div', 'status', undefined, { 'data-testid': 'status' })
    this.zoom = element('span', 'status-zoom', '–', { 'data-testid': 'status-zoom', title: 'Zoom' })
    this.position = element('span', 'status-position', '', { 'data-testid': 'status-position' })
    this.value = element('span', 'status-value', '', { 'data-testid': 'status-value' })
    this.map = element('span', 'status-map', '', { 'data-testid': 'status-map' })
    this.progressBox = element('span', 'status-progress-box')
    this.pending = element('span', 'status-pending', 'idle', { 'data-testid': 'status-pending' })
    this.root.append(this.zoom, this.position, this.value, this.map, element('span', 'status-spacer'), this.progressBox, this.pending)
    parent.append(this.root)
  }

  /** Shows the zoom; null (nothing open) shows a dash. */
  setZoom(zoom: number | null): void {
    setText(this.zoom, zoom === null ? '–' : formatZoom(zoom))
  }

  /** Shows what is under the cursor; null clears it (cursor outside every raster). */
  setReadout(readout: Readout | null): void {
    if (!readout) {
      setText(this.position, '')
      setText(this.value, '')
      setText(this.map, '')
      return
    }
    const px = Math.floor(readout.x)
    const py = Math.floor(readout.y)
    this.position.textContent = `x ${px}  y ${py}`
    const values = readout.values?.map(formatValue).join(', ')
    this.value.textContent = values ? `${values}${readout.level ? ` (level ${readout.level})` : ''}` : ''
    const geo = readout.georeference
    if (geo) {
      const mx = geo.originX + (readout.x) * geo.pixelSizeX
      const my = geo.originY + (readout.y) * geo.pixelSizeY
      this.map.textContent = `${formatMapCoordinate(mx, geo.epsg)}, ${formatMapCoordinate(my, geo.epsg)}${geo.epsg ? ` (EPSG:${geo.epsg})` : ''}`
    } else {
      setText(this.map, '')
    }
  }

  /** Tiles on their way: requested by this window and not arrived; `active` being decoded. */
  setActivity(pending: number, active: number | null): void {
    setText(this.pending, pending === 0 && !active ? 'idle' : `${pending} pending${active ? `, ${active} active` : ''}`)
    if (this.pending.dataset.pending !== String(pending)) this.pending.dataset.pending = String(pending)
    this.pending.classList.toggle('busy', pending > 0)
  }

  /** Shows or updates a progress bar (0..1); a value of 1 or more removes it. */
  setProgress(id: string, label: string, progress: number): void {
    if (progress >= 1) {
      this.bars.get(id)?.row.remove()
      this.bars.delete(id)
      return
    }
    let entry = this.bars.get(id)
    if (!entry) {
      const row = element('span', 'status-progress', undefined, { 'data-testid': 'status-progress' })
      const bar = element('progress', undefined, undefined, { max: '1' })
      row.append(element('span', 'progress-label', label), bar)
      this.progressBox.append(row)
      entry = { row, bar }
      this.bars.set(id, entry)
    }
    // Nothing measured yet: an indeterminate bar says "working" better than an empty one.
    if (progress > 0) entry.bar.value = progress
    else entry.bar.removeAttribute('value')
    entry.bar.title = progress > 0 ? `${Math.round(progress * 100)} %` : 'starting…'
  }
}

/** Called after every frame: writing the same text again would still replace the text node and invalidate layout. */
function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text
}
