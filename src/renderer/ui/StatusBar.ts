/**
 * The status bar: zoom, the top layer's pixel coordinates under the cursor and its original value(s)
 * there ("no data" where masked, equal to the no-data value or NaN), the map coordinates of the
 * cursor in the view's CRS and its latitude/longitude, every visible layer's value there when
 * several are open, a scale bar in ground units, and loading activity (pending / active tiles,
 * one progress bar per pyramid being built or file being uploaded).
 */
import type { Georeference } from '../../shared/raster'
import { type ClassReadout, cssColour } from '../view/paletteClasses'
import { epsgId, epsgOfId, formatLatLon, isGeographicCrs, isKnownCrs, toLatLon } from '../view/map/crs'
import type { ScaleBar } from '../view/map/scaleBar'
import { element, formatMapCoordinate, formatSample, formatZoom, overviewNote } from './format'

/** What is under the cursor. */
export interface Readout {
  /** Full-resolution pixel of the top layer covering the point; absent when none covers it. */
  x?: number
  y?: number
  /** Name of the layer the values come from. */
  layer?: string
  /** One per band of the file; null for a band that is no data there. */
  values?: Array<number | null>
  /** Pyramid level the values were read at (0 = full resolution). */
  level?: number
  /** The class there, for a raster with a palette or a raster attribute table: its colour (a swatch) and name. */
  classValue?: ClassReadout | null
  georeference?: Georeference | null
  /** The point in the view's CRS (world Y reversed back); absent when nothing is georeferenced. */
  map?: ReadoutMap
  /**
   * Each visible layer, top first: its values there (null outside it; undefined: not loaded yet).
   * Shown when there are several.
   */
  layers?: Array<{ name: string; values: Array<number | null> | null | undefined }>
}

export class StatusBar {
  readonly root: HTMLElement
  private readonly zoom: HTMLElement
  private readonly position: HTMLElement
  private readonly value: HTMLElement
  private readonly classSwatch: HTMLElement
  private readonly className: HTMLElement
  private readonly map: HTMLElement
  private readonly latLon: HTMLElement
  private readonly layerValues: HTMLElement
  private readonly scale: HTMLElement
  private readonly crs: HTMLSelectElement
  private readonly crsListeners = new Set<(id: string) => void>()
  private readonly scaleLine: HTMLElement
  private readonly pending: HTMLElement
  private readonly graphics: HTMLElement
  private readonly progressBox: HTMLElement
  private readonly bars = new Map<string, { row: HTMLElement; bar: HTMLProgressElement }>()

  constructor(parent: HTMLElement) {
    this.root = element('div', 'status', undefined, { 'data-testid': 'status' })
    this.zoom = element('span', 'status-zoom', '–', { 'data-testid': 'status-zoom', title: 'Zoom' })
    this.position = element('span', 'status-position', '', { 'data-testid': 'status-position' })
    this.value = element('span', 'status-value', '', { 'data-testid': 'status-value' })
    // A class's colour and name beside its value (a land cover: "52 ■ Shrub/Scrub").
    this.classSwatch = element('span', 'status-class-swatch', '', { 'data-testid': 'status-class-swatch', 'aria-hidden': 'true' })
    // Shown by its display (an inline display would override the hidden attribute).
    this.classSwatch.style.cssText = 'display:none;width:0.9em;height:0.9em;border:1px solid var(--line);border-radius:2px;vertical-align:middle'
    this.className = element('span', 'status-class', '', { 'data-testid': 'status-class' })
    this.map = element('span', 'status-map', '', { 'data-testid': 'status-map' })
    this.latLon = element('span', 'status-latlon', '', { 'data-testid': 'status-latlon' })
    // Every layer's value, one line each, in a box over the status bar's left end: a long stack
    // does not fit on the bar's one line.
    this.layerValues = element('div', 'status-layers', '', { 'data-testid': 'status-layers', role: 'status' })
    this.layerValues.style.cssText =
      'position:absolute;left:8px;bottom:calc(100% + 6px);padding:4px 8px;border:1px solid var(--line);border-radius:6px;' +
      'background:var(--panel);white-space:pre;pointer-events:none;z-index:5;max-width:calc(100% - 16px);overflow:hidden;text-overflow:ellipsis'
    this.layerValues.hidden = true
    this.scale = element('span', 'status-scale', '', { 'data-testid': 'status-scale', title: 'Scale' })
    this.scaleLine = element('span', 'status-scale-line')
    this.scaleLine.style.cssText = 'display:inline-block;height:6px;border:solid currentColor;border-width:0 1px 1px;margin-right:4px;vertical-align:middle'
    this.scale.hidden = true
    this.crs = element('select', 'status-crs', undefined, { 'data-testid': 'status-crs', 'aria-label': 'View CRS', title: "The view's coordinate reference system" })
    this.crs.hidden = true
    this.crs.addEventListener('change', () => {
      for (const listener of this.crsListeners) listener(/^\d+$/.test(this.crs.value) ? epsgId(Number(this.crs.value)) : this.crs.value)
    })
    this.progressBox = element('span', 'status-progress-box')
    this.pending = element('span', 'status-pending', 'idle', { 'data-testid': 'status-pending' })
    this.graphics = element('span', 'status-graphics', '', { 'data-testid': 'status-graphics' })
    this.graphics.hidden = true
    this.root.append(this.zoom, this.scale, this.position, this.value, this.classSwatch, this.className, this.crs, this.map, this.latLon, this.layerValues, element('span', 'status-spacer'), this.progressBox, this.graphics, this.pending)
    if (!this.root.style.position) this.root.style.position = 'relative' // the box of layer values sits over it
    parent.append(this.root)
  }

  /** Says when WebGL is drawn in software (no GPU): the view is slower for a reason that is not the file's. */
  setGraphics(info: { renderer: string; software: boolean }): void {
    this.graphics.hidden = !info.software
    this.graphics.textContent = info.software ? 'Software WebGL' : ''
    this.graphics.title = info.software
      ? `WebGL is drawn on the CPU (${info.renderer}), not a GPU: every frame costs tens of milliseconds and shares the cores that decode tiles. Enable hardware acceleration or update the graphics driver for a faster view.`
      : info.renderer
  }

  /** Shows the zoom; null (nothing open) shows a dash. */
  setZoom(zoom: number | null): void {
    setText(this.zoom, zoom === null ? '–' : formatZoom(zoom))
  }

  /** Shows the scale bar; null hides it (nothing georeferenced). */
  setScale(bar: ScaleBar | null): void {
    this.scale.hidden = bar === null
    if (!bar) return
    const width = `${Math.round(bar.pixels)}px`
    if (this.scaleLine.style.width !== width) this.scaleLine.style.width = width
    if (this.scale.firstChild !== this.scaleLine) this.scale.replaceChildren(this.scaleLine, document.createTextNode(''))
    const label = this.scale.lastChild!
    if (label.textContent !== bar.label) label.textContent = bar.label
    if (this.scale.dataset.pixels !== width) this.scale.dataset.pixels = width
  }

  /**
   * Lists the CRSs the view can take (shown when there are several), `current` selected. Called
   * after every frame: the list is rebuilt only when it changes.
   */
  setCrsChoices(choices: ReadonlyArray<{ id: string; label: string }>, current: string | null): void {
    const key = choices.map((c) => `${c.id}=${c.label}`).join('\n')
    if (this.crs.dataset.choices !== key) {
      this.crs.dataset.choices = key
      // An EPSG code's value is the code itself ('3857'), as the picker has always said; another CRS's is its id.
      this.crs.replaceChildren(...choices.map((c) => new Option(c.label, crsOptionValue(c.id))))
    }
    this.crs.hidden = choices.length < 2
    if (current !== null && this.crs.value !== crsOptionValue(current)) this.crs.value = crsOptionValue(current)
  }

  /** Calls `listener` with the CRS (`CrsInfo.id`) a person picks for the view. */
  onCrsChange(listener: (id: string) => void): () => void {
    this.crsListeners.add(listener)
    return () => this.crsListeners.delete(listener)
  }

  /** Shows what is under the cursor; null clears it (cursor off the view). */
  setReadout(readout: Readout | null): void {
    if (!readout) {
      for (const el of [this.position, this.value, this.className, this.map, this.latLon, this.layerValues]) setText(el, '')
      this.layerValues.hidden = true
      this.setClass(null)
      return
    }
    const covered = readout.x !== undefined && readout.y !== undefined
    setText(this.position, covered ? `x ${Math.floor(readout.x!)}  y ${Math.floor(readout.y!)}` : '')
    const values = formatReadoutValues(readout.values)
    setText(this.value, values ? `${values}${readout.level ? ` (${overviewNote(readout.level)})` : ''}` : '')
    this.setClass(readout.classValue ?? null)
    const map = readout.map
    setText(this.map, map ? mapPointText(map) : '')
    setText(this.latLon, map ? latLonText(map) : '')
    const layers = readout.layers ?? []
    const text = layers.length > 1 ? layers.map((l) => `${l.name}: ${layerValueText(l.values)}`).join('\n') : ''
    setText(this.layerValues, text)
    if (this.layerValues.hidden !== (text === '')) this.layerValues.hidden = text === ''
  }

  /** The swatch of the class's colour and its name, or nothing. */
  private setClass(found: ClassReadout | null): void {
    const colour = found?.colour ? cssColour(found.colour) : ''
    if (this.classSwatch.style.backgroundColor !== colour) this.classSwatch.style.backgroundColor = colour
    const display = colour ? 'inline-block' : 'none'
    if (this.classSwatch.style.display !== display) this.classSwatch.style.display = display
    this.classSwatch.title = colour && found ? `class ${found.value}: ${colour}` : ''
    setText(this.className, found?.name ?? '')
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

/** A point of the view's CRS under the cursor: its coordinates, its CRS's code, id and name. */
export interface ReadoutMap {
  x: number
  y: number
  epsg: number | null
  /** The CRS's id (`CrsInfo.id`); absent: `EPSG:<epsg>`. */
  crs?: string | null
  /** How a person reads the CRS; absent: `EPSG:<epsg>`. */
  label?: string | null
}

/** The id of a readout's CRS. */
function readoutCrs(map: ReadoutMap): string | null {
  return map.crs ?? (map.epsg !== null ? epsgId(map.epsg) : null)
}

/** "500000.00, 6000000.00 (EPSG:32631)": a map point, its CRS named (degrees with 6 decimals). */
export function mapPointText(map: ReadoutMap): string {
  const id = readoutCrs(map)
  const degrees = isGeographicCrs(id)
  const label = map.label ?? (map.epsg !== null ? epsgId(map.epsg) : null)
  return `${formatMapCoordinate(map.x, degrees)}, ${formatMapCoordinate(map.y, degrees)}${label ? ` (${label})` : ''}`
}

/** Latitude/longitude of a map point, or why there is none: only a valid one is printed. */
export function latLonText(map: ReadoutMap): string {
  const id = readoutCrs(map)
  if (id === null) return 'CRS unknown'
  if (!isKnownCrs(id)) return `CRS ${map.label ?? id} unknown`
  const p = toLatLon(id, map.x, map.y)
  return p ? formatLatLon(p) : ''
}

/** The picker's value of a CRS: an EPSG code's is the code ('3857'), another's its id. */
function crsOptionValue(id: string): string {
  const code = epsgOfId(id)
  return code !== null ? String(code) : id
}

/** One layer's values in the per-layer readout: "no data" outside it, "…" while not loaded there. */
export function layerValueText(values: Array<number | null> | null | undefined): string {
  if (values === null) return 'no data'
  if (values === undefined) return '…'
  return formatReadoutValues(values) || 'no data'
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

/** Called after every frame: writing the same text again would still replace the text node and invalidate layout. */
function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text
}
