/**
 * The status bar: zoom, pixel coordinates under the cursor, the file's original value(s) there
 * ("no data" where masked, equal to the no-data value or NaN), map coordinates through the full
 * affine geotransform when georeferenced, and loading activity (pending / active tiles, one progress bar
 * per pyramid being built or file being uploaded).
 */
import type { Georeference } from '../../shared/raster'
import { pixelToMap } from '../view/bandPixels'
import { element, formatMapCoordinate, formatValue, formatZoom } from './format'

/** What is under the cursor. */
export interface Readout {
  x: number
  y: number
  /** Name of the layer the values come from. */
  layer?: string
  /** One per band of the file; null for a band that is no data there. */
  values?: Array<number | null>
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
    const values = formatReadoutValues(readout.values)
    this.value.textContent = values ? `${values}${readout.level ? ` (level ${readout.level})` : ''}` : ''
    const geo = readout.georeference
    if (geo) {
      const map = pixelToMap(geo.geoTransform, readout.x, readout.y)
      this.map.textContent = `${formatMapCoordinate(map.x, geo.epsg)}, ${formatMapCoordinate(map.y, geo.epsg)}${geo.epsg ? ` (EPSG:${geo.epsg})` : ''}`
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

/**
 * The values under the cursor as text: "331", "12, 40, 7", "no data" when every band is no data
 * there, "12, no data, 7" when only some are; empty when nothing is loaded there.
 */
export function formatReadoutValues(values: ReadonlyArray<number | null> | undefined): string {
  if (!values || values.length === 0) return ''
  if (values.every((v) => v === null)) return 'no data'
  return values.map((v) => (v === null ? 'no data' : formatSample(v))).join(', ')
}

/**
 * A sample as the file holds it: integers whole; a float32 sample with the fewest digits that read
 * back as the same float32 (350.6, not 350.600006); any other number with the fewest digits that
 * read back as the same double.
 */
export function formatSample(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return formatValue(value)
  if (Math.fround(value) === value) {
    for (let digits = 1; digits <= 9; digits++) {
      const text = value.toPrecision(digits)
      if (Math.fround(Number(text)) === value) return String(Number(text))
    }
  }
  return String(value)
}

/** Called after every frame: writing the same text again would still replace the text node and invalidate layout. */
function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text
}
