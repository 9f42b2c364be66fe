/**
 * The layers list: each open raster with its name, visibility, opacity, remove button, the file's
 * warnings (damage found in a file that still decodes), its description (format, size, bands, type,
 * compression, no-data, mask, every band's colour interpretation and statistics, the geotransform
 * and CRS) and, for value rasters ('bands' tiles), how they are shown: the band picker (R, G, B
 * bands, or one band with a colour map; switching between the two brings back the last of each,
 * `displayMemory.ts`) and each shown band's stretch range.
 */
import type { BandInfo, BandStatistics, CrsSource, RasterInfo } from '../../shared/raster'
import { applyDisplayChange, defaultBandRanges, tileBandCount, type BandRange, type DisplayBands, type LayerDisplay, type LayerDisplayChange } from '../view/bandPixels'
import { NOTHING_REMEMBERED, switchMode, type DisplayMemory, type DisplayMode } from '../view/displayMemory'
import { bandStretchControls, colourMapControls } from './StretchControls'
import { hillshadeControls } from './HillshadeControls'
import { classLegend } from './ClassLegend'
import { centredRange } from './stretchRange'
import { element, formatBytes, formatMapCoordinate, formatValue } from './format'
import { crsOfGeoreference, isGeographicCrs } from '../view/map/crs'
import { serviceLabel } from './webLayerChoice'
import { remoteSourceRows } from './remoteSourceRows'
import { webSourceRows } from './webSourceRows'
import type { WebLayerStatus } from '../session/webLayerStatus'

export interface LayerActions {
  setVisible(rasterId: string, visible: boolean): void
  setOpacity(rasterId: string, opacity: number): void
  remove(rasterId: string): void
  /** Fits the view to the layer. */
  zoomTo(rasterId: string): void
  /** Changes how a value layer is shown: bands, stretch ranges, colour map. */
  setStretch(rasterId: string, change: LayerDisplayChange): void
  /** Shows this layer alone (Alt+click on its eye); again on the only one shown: shows every layer. */
  solo?(rasterId: string): void
  /** Moves a layer to the place of another in the stack (dragged onto it in the list). */
  moveOnto?(rasterId: string, targetId: string): void
  /** The layer clicked last (the one Alt+↑ / Alt+↓ move). */
  select?(rasterId: string): void
  /** Opens Set CRS… for a georeferenced layer. */
  setCrs?(rasterId: string): void
  /** Hides these classes of a paletted layer (unticked in its class legend), shows the others. */
  setHiddenClasses?(rasterId: string, hidden: ReadonlySet<number>): void
}

export interface LayerEntry {
  rasterId: string
  info: RasterInfo
  /** How a value layer is shown now; null for colour images (drawn as they are). */
  stretch: LayerDisplay | null
  /** Where the layer is drawn when it is not simply on the ground in the view's CRS (not georeferenced, reprojected, another CRS: "⚠ …" when misplaced); null otherwise. */
  placement?: string | null
  /** The name shown, unique among the layers ("dem.tif (2)"); the file's name when absent. */
  displayName?: string
  /** A paletted layer's classes hidden now (unticked in its class legend). */
  hiddenClasses?: ReadonlySet<number>
}

export class LayersPanel {
  readonly root: HTMLElement
  private readonly list: HTMLElement
  private readonly items = new Map<string, { item: HTMLElement; entry: LayerEntry; visible: boolean; opacity: number; infoOpen: boolean }>()
  private readonly empty: HTMLElement
  private selectedId: string | null = null
  /** Each value layer's stretch ranges as it opened (Reset). */
  private readonly initialRanges = new Map<string, BandRange[]>()
  /** Each value layer's last RGB composite and last single band, brought back when switched to again. */
  private readonly memories = new Map<string, DisplayMemory>()
  private readonly loading = new Set<string>()
  /** Each web layer's service and state (`setStatus`). */
  private readonly statuses = new Map<string, WebLayerStatus>()

  constructor(
    parent: HTMLElement,
    private readonly actions: LayerActions
  ) {
    this.root = element('section', 'layers', undefined, { 'data-testid': 'layers', 'aria-label': 'Layers' })
    this.list = element('ol', 'layer-list')
    this.empty = element('p', 'layers-empty', 'No layer open yet.')
    this.root.append(element('h2', 'panel-title', 'Layers'), this.empty, this.list)
    parent.append(this.root)
  }

  /** Adds (or refreshes) a layer; the newest is listed first, as it is drawn on top. */
  upsert(entry: LayerEntry): void {
    const old = this.items.get(entry.rasterId)
    // A layer whose raster now has other bands starts its display again from the raster's defaults.
    if (old && !sameBands(old.entry.info, entry.info)) {
      this.memories.delete(entry.rasterId)
      this.initialRanges.delete(entry.rasterId)
    }
    // Its whole-raster statistics came: Reset goes to the stretch they give, no longer the provisional one.
    if (old?.entry.info.statisticsState === 'provisional' && entry.info.statisticsState === 'final' && this.initialRanges.has(entry.rasterId)) {
      this.initialRanges.set(entry.rasterId, defaultBandRanges(entry.info))
    }
    const state = { entry, visible: old?.visible ?? true, opacity: old?.opacity ?? 1, infoOpen: old?.infoOpen ?? false }
    const item = this.render(state)
    if (old) old.item.replaceWith(item)
    else this.list.prepend(item)
    this.items.set(entry.rasterId, { ...state, item })
    this.empty.hidden = true
  }

  remove(rasterId: string): void {
    this.items.get(rasterId)?.item.remove()
    this.items.delete(rasterId)
    this.loading.delete(rasterId)
    this.statuses.delete(rasterId)
    this.initialRanges.delete(rasterId)
    this.memories.delete(rasterId)
    if (this.selectedId === rasterId) this.selectedId = null
    this.empty.hidden = this.items.size > 0
  }

  /** Shows a layer as visible or hidden (greyed) when something else than its eye changed it (browsing, solo). */
  setVisible(rasterId: string, visible: boolean): void {
    const state = this.items.get(rasterId)
    if (!state) return
    state.visible = visible
    const box = state.item.querySelector<HTMLInputElement>('.layer-visible')
    if (box) box.checked = visible
    state.item.classList.toggle('layer-hidden', !visible)
  }

  /** Marks a layer as opening (until its first pixels are drawn). */
  setLoading(rasterId: string, loading: boolean): void {
    if (loading) this.loading.add(rasterId)
    else this.loading.delete(rasterId)
    this.items.get(rasterId)?.item.classList.toggle('layer-loading', loading)
  }

  /** Shows an opacity set by something else than its slider (a web layer reopened as saved). */
  setOpacity(rasterId: string, opacity: number): void {
    const state = this.items.get(rasterId)
    if (!state) return
    state.opacity = opacity
    const slider = state.item.querySelector<HTMLInputElement>('.layer-opacity')
    if (slider) slider.value = String(opacity)
  }

  /** Shows a web layer's service and state: tiles on their way, tiles failed with the server's words, its error. */
  setStatus(rasterId: string, status: WebLayerStatus | null): void {
    if (status) this.statuses.set(rasterId, status)
    else this.statuses.delete(rasterId)
    // Said in place: the line is a live region (role status), whose changes a screen reader reads
    // out only if it stays the same element; and it changes at every frame tiles arrive in.
    const line = this.items.get(rasterId)?.item.querySelector<HTMLElement>('.layer-status')
    if (line) showStatus(line, status)
  }

  /** The layer clicked last, if it is still open. */
  get selected(): string | null {
    return this.selectedId && this.items.has(this.selectedId) ? this.selectedId : null
  }

  /** Marks a layer as the selected one. */
  setSelected(rasterId: string | null): void {
    this.selectedId = rasterId
    for (const [id, state] of this.items) state.item.classList.toggle('layer-selected', id === rasterId)
  }

  private render(state: { entry: LayerEntry; visible: boolean; opacity: number; infoOpen: boolean }): HTMLElement {
    const { rasterId, info } = state.entry
    const shownName = state.entry.displayName ?? info.name
    const item = element('li', 'layer', undefined, { 'data-raster-id': rasterId, 'data-testid': 'layer' })
    item.classList.toggle('layer-hidden', !state.visible)
    item.classList.toggle('layer-loading', this.loading.has(rasterId))
    item.classList.toggle('layer-selected', this.selectedId === rasterId)
    item.addEventListener('pointerdown', () => {
      this.setSelected(rasterId)
      this.actions.select?.(rasterId)
    })
    const head = element('div', 'layer-head', undefined, { draggable: 'true', title: 'Drag to reorder (or Alt+↑ / Alt+↓)' })
    head.addEventListener('dragstart', (e) => {
      e.dataTransfer?.setData('application/x-tessera-layer', rasterId)
      if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move'
      item.classList.add('layer-dragging')
    })
    head.addEventListener('dragend', () => item.classList.remove('layer-dragging'))
    item.addEventListener('dragover', (e) => {
      if (!e.dataTransfer?.types.includes('application/x-tessera-layer')) return
      e.preventDefault()
      e.dataTransfer.dropEffect = 'move'
      item.classList.add('layer-drop-target')
    })
    item.addEventListener('dragleave', () => item.classList.remove('layer-drop-target'))
    item.addEventListener('drop', (e) => {
      const dragged = e.dataTransfer?.getData('application/x-tessera-layer')
      item.classList.remove('layer-drop-target')
      if (!dragged) return
      e.preventDefault()
      e.stopPropagation()
      if (dragged !== rasterId) this.actions.moveOnto?.(dragged, rasterId)
    })
    const visible = element('input', 'layer-visible', undefined, { type: 'checkbox', title: 'Visible (Alt+click: this layer alone)', 'aria-label': `Show ${shownName}` })
    visible.checked = state.visible
    visible.addEventListener('click', (e) => {
      if (!e.altKey || !this.actions.solo) return
      e.preventDefault()
      this.actions.solo(rasterId)
    })
    visible.addEventListener('change', () => {
      this.remember(rasterId, { visible: visible.checked })
      item.classList.toggle('layer-hidden', !visible.checked)
      this.actions.setVisible(rasterId, visible.checked)
    })
    const name = element('span', 'layer-name', shownName, { title: info.name, 'data-testid': 'layer-name' })
    const remove = element('button', 'layer-remove', '×', { type: 'button', title: 'Remove', 'aria-label': `Remove ${shownName}` })
    remove.addEventListener('click', () => this.actions.remove(rasterId))
    const zoomTo = element('button', 'layer-zoom', '⤢', { type: 'button', title: 'Zoom to layer', 'aria-label': `Zoom to ${shownName}`, 'data-testid': 'layer-zoom' })
    zoomTo.addEventListener('click', () => this.actions.zoomTo(rasterId))
    const web = info.source?.kind === 'web' ? info.source : null
    // A web layer's CRS is the one the server serves it in: nothing to set by hand.
    head.append(visible, ...(web ? [element('span', 'layer-service', serviceLabel(web.service), { 'data-testid': 'layer-service', title: web.url })] : []), name, zoomTo)
    if (info.georeference && this.actions.setCrs && !web) {
      const setCrs = element('button', 'layer-crs', 'CRS…', { type: 'button', title: 'Set CRS…: give the layer another coordinate reference system', 'aria-label': `Set the CRS of ${shownName}`, 'data-testid': 'layer-set-crs' })
      setCrs.addEventListener('click', () => this.actions.setCrs?.(rasterId))
      head.append(setCrs)
    }
    head.append(remove)

    const opacityRow = element('label', 'layer-row')
    const opacity = element('input', 'layer-opacity', undefined, { type: 'range', min: '0', max: '1', step: '0.05', value: String(state.opacity) })
    opacity.addEventListener('input', () => {
      this.remember(rasterId, { opacity: Number(opacity.value) })
      this.actions.setOpacity(rasterId, Number(opacity.value))
    })
    opacityRow.append(element('span', 'row-label', 'Opacity'), opacity)

    const details = element('details', 'layer-info')
    details.open = state.infoOpen
    details.addEventListener('toggle', () => this.remember(rasterId, { infoOpen: details.open }))
    details.append(element('summary', undefined, 'Info'), infoTable(info))
    item.append(head)
    if (web) item.append(statusLine(this.statuses.get(rasterId) ?? null))
    for (const warning of info.warnings ?? []) {
      item.append(element('p', 'layer-warning', `⚠ ${warning}`, { 'data-testid': 'layer-warning', role: 'status', title: warning }))
    }
    if (state.entry.placement) {
      const warning = state.entry.placement.startsWith('⚠')
      item.append(element('p', warning ? 'layer-warning' : 'layer-note', state.entry.placement, { 'data-testid': 'layer-placement', role: 'status', title: state.entry.placement }))
    }
    item.append(opacityRow)
    if (state.entry.stretch) item.append(this.displayControls(state.entry, state.entry.stretch))
    const classes = classLegend(info, state.entry.hiddenClasses ?? new Set(), (hidden) => {
      const current = this.items.get(rasterId)
      if (current) current.entry = { ...current.entry, hiddenClasses: hidden }
      this.actions.setHiddenClasses?.(rasterId, hidden)
    })
    if (classes) item.append(classes)
    item.append(details)
    return item
  }

  private remember(rasterId: string, patch: Partial<{ visible: boolean; opacity: number; infoOpen: boolean }>): void {
    const state = this.items.get(rasterId)
    if (state) Object.assign(state, patch)
  }

  /** Applies a change to the layer and to the panel's copy of its display; other bands re-render the controls. */
  private change(given: LayerEntry, change: LayerDisplayChange): void {
    // The controls were made with the entry of their render; ranges changed since are in the latest.
    const entry = this.items.get(given.rasterId)?.entry ?? given
    if (!entry.stretch) return
    const next = applyDisplayChange(entry.stretch, change, tileBandCount(entry.info))
    const bandsChanged = next.bands !== entry.stretch.bands
    this.actions.setStretch(entry.rasterId, change)
    const updated = { ...entry, stretch: next }
    const state = this.items.get(entry.rasterId)
    if (state) state.entry = updated
    if (bandsChanged) this.upsert(updated)
  }

  private displayControls(entry: LayerEntry, display: LayerDisplay): HTMLElement {
    const { info } = entry
    const box = element('div', 'layer-stretch')
    const single = display.bands.length === 1
    const bandCount = tileBandCount(info)
    if (bandCount > 1) {
      const mode = element('select', 'band-mode', undefined, { 'aria-label': 'Band display', 'data-testid': 'band-mode' })
      mode.append(new Option('RGB (three bands)', 'rgb', false, !single), new Option('Single band', 'single', false, single))
      mode.addEventListener('change', () => {
        const shown = this.items.get(entry.rasterId)?.entry.stretch ?? display
        const memory = this.memories.get(entry.rasterId) ?? NOTHING_REMEMBERED
        const switched = switchMode(shown, memory, mode.value as DisplayMode, bandCount)
        this.memories.set(entry.rasterId, switched.memory)
        this.change(entry, switched.change)
      })
      const row = element('label', 'layer-row')
      row.append(element('span', 'row-label', 'Show'), mode)
      box.append(row)
      const channels = single ? (['Band'] as const) : (['R', 'G', 'B'] as const)
      channels.forEach((channel, i) => {
        const picker = element('select', 'band-pick', undefined, {
          'aria-label': single ? 'Band' : `${channel} band`,
          'data-testid': single ? 'band-single' : `band-${channel.toLowerCase()}`
        })
        for (let b = 0; b < bandCount; b++) picker.append(new Option(bandLabel(info.bandInfo?.[b], b), String(b), false, b === display.bands[i]))
        picker.addEventListener('change', () => {
          const bands = [...display.bands] as DisplayBands
          bands[i] = Number(picker.value)
          this.change(entry, { bands })
        })
        const pickRow = element('label', 'layer-row')
        pickRow.append(element('span', 'row-label', channel), picker)
        box.append(pickRow)
      })
    }
    // Each shown band's stretch range: limits, presets, reset, the value axis.
    const initial = this.initialRanges.get(entry.rasterId) ?? display.ranges.map((r) => ({ ...r }))
    this.initialRanges.set(entry.rasterId, initial)
    let colours: { refresh(): void } | null = null
    const bandControls: Array<ReturnType<typeof bandStretchControls>> = []
    display.bands.forEach((band, i) => {
      const channel = ['Red', 'Green', 'Blue'][i]!
      const controls = bandStretchControls({
          index: i,
          label: single ? 'Stretch' : `${['R', 'G', 'B'][i]} range`,
          fieldName: single ? 'Stretch' : channel,
          stats: bandStatistics(info, band),
          range: display.ranges[band] ?? { min: 0, max: 1 },
          initial: initial[band] ?? display.ranges[band] ?? { min: 0, max: 1 },
          apply: (range) => {
            this.change(entry, { ranges: { [band]: range } })
            colours?.refresh()
          }
        })
      bandControls.push(controls)
      box.append(controls)
    })
    if (single) {
      const band = display.bands[0]
      const currentRange = (): BandRange => this.items.get(entry.rasterId)?.entry.stretch?.ranges[band] ?? display.ranges[band] ?? { min: 0, max: 1 }
      const controls = colourMapControls(
        display.colormap,
        currentRange,
        (colormap) => this.change(entry, { colormap }),
        bandStatistics(info, band),
        () => {
          const centred = centredRange(currentRange())
          if (centred) bandControls[0]?.setRange(centred)
        }
      )
      colours = controls
      box.append(controls.root)
      // Shade the band as gdaldem hillshade does (alone, or × the colour map above).
      box.append(hillshadeControls(display.hillshade, (hillshade) => this.change(entry, { hillshade })))
    }
    return box
  }
}

/** A band's statistics: its own, or the raster's for a single-band raster. */
function bandStatistics(info: RasterInfo, band: number): BandStatistics | null {
  return info.bandInfo?.[band]?.statistics ?? ((info.bandInfo?.length ?? info.bands) === 1 || band === info.displayBands?.[0] ? (info.statistics ?? null) : null)
}

/** True when two descriptions of a raster have the same bands in the same tiles (the layer kept its display). */
function sameBands(a: RasterInfo, b: RasterInfo): boolean {
  return a.bands === b.bands && a.tileKind === b.tileKind && a.tileChannels === b.tileChannels && a.tileMask === b.tileMask && Object.is(a.noData, b.noData)
}

/** "Band 2 (green)", "Band 4: NIR", "Band 3: Red (red)": the file's description when it gives one, its colour interpretation when it says one. */
export function bandLabel(band: BandInfo | undefined, index: number): string {
  const interpretation = band?.colorInterpretation
  const description = band?.description ? `: ${band.description}` : ''
  return `Band ${index + 1}${description}${interpretation && interpretation !== 'undefined' ? ` (${interpretation})` : ''}`
}

/** "min 1, max 4973.9, 2–98 %: 400 … 4800, mean 1200.5, σ 300" (approximate when read from a reduction). */
export function formatStatistics(s: BandStatistics): string {
  const parts = [`min ${formatValue(s.min)}`, `max ${formatValue(s.max)}`, `2–98 %: ${formatValue(s.p2)} … ${formatValue(s.p98)}`]
  if (s.p0_5 !== undefined && s.p99_5 !== undefined) parts.push(`0.5–99.5 %: ${formatValue(s.p0_5)} … ${formatValue(s.p99_5)}`)
  if (s.mean !== undefined) parts.push(`mean ${formatValue(s.mean)}`)
  if (s.stdDev !== undefined) parts.push(`σ ${formatValue(s.stdDev)}`)
  return parts.join(', ') + (s.exact === false ? ' (approximate)' : '')
}

/** A web layer's state under its name ("loading 3 tiles…", "2 tiles failed: …"); empty when all is in. */
function statusLine(status: WebLayerStatus | null): HTMLElement {
  const line = element('p', 'layer-status', '', { 'data-testid': 'layer-status', role: 'status' })
  showStatus(line, status)
  return line
}

function showStatus(line: HTMLElement, status: WebLayerStatus | null): void {
  const text = status?.text ?? ''
  line.className = `layer-status layer-status-${status?.state ?? 'ready'}`
  line.textContent = text
  line.title = text
  line.hidden = text === ''
}

/** The rows of a raster's description, label → value (pure: tested without the DOM). */
export function infoRows(info: RasterInfo): Array<[string, string]> {
  const alphaBand = info.bandInfo?.some((b) => b.colorInterpretation === 'alpha')
  const rows: Array<[string, string]> = [
    ['Format', info.format],
    ['Size', `${info.width} × ${info.height} px`],
    ['Bands', `${info.bands}${alphaBand || (info.hasAlpha && !info.hasMask) ? ' (with alpha)' : ''}`],
    ['Type', info.sampleType],
    ['Compression', info.compression ?? 'none'],
    ['No data', info.noData === null || info.noData === undefined ? 'none' : formatValue(info.noData)],
    ['Mask', info.hasMask ? 'yes (masked pixels transparent)' : 'none'],
    ['Levels', `${info.levels.length} (tiles ${info.tileSize} px)`],
    // A web layer has no file: its server, URL and layer are its rows.
    ...(info.source?.kind === 'web' ? [] : [['File size', formatBytes(info.fileSize)] as [string, string]]),
    ...remoteSourceRows(info.source),
    ...webSourceRows(info.source),
    ['Source', info.strategy === 'pyramid' ? (info.pyramidReady ? 'pyramid built' : 'building pyramid…') : info.strategy]
  ]
  const bandInfo = info.bandInfo ?? []
  bandInfo.forEach((band, b) => {
    const stats = band.statistics ?? (b === 0 && bandInfo.length === 1 ? info.statistics : null)
    rows.push([`Band ${b + 1}`, `${band.description ? `${band.description}; ` : ''}${band.colorInterpretation}${stats ? `; ${formatStatistics(stats)}` : ''}`])
  })
  const geo = info.georeference
  if (geo) {
    const gt = geo.geoTransform
    const crs = crsOfGeoreference(geo)
    rows.push(['CRS', crs === null ? 'unknown' : crs.epsg !== null ? `EPSG:${crs.epsg}${crs.name && crs.name !== `EPSG:${crs.epsg}` ? ` (${crs.name})` : ''}` : crs.name || 'user-defined'])
    if (crs && crs.source !== 'geokeys') rows.push(['CRS from', CRS_SOURCES[crs.source]])
    const degrees = isGeographicCrs(crs?.id ?? null)
    rows.push(['Origin', `${formatMapCoordinate(gt[0], degrees)}, ${formatMapCoordinate(gt[3], degrees)}`])
    rows.push(['Pixel size', `${formatValue(gt[1])} × ${formatValue(gt[5])}`])
    if (geo.rotated || gt[2] !== 0 || gt[4] !== 0) rows.push(['Rotation', `rotated (row term ${formatValue(gt[2])}, column term ${formatValue(gt[4])})`])
    rows.push(['Geotransform', gt.map(formatValue).join(', ')])
    rows.push(['Raster type', geo.rasterType === 'point' ? 'PixelIsPoint' : 'PixelIsArea'])
  } else {
    rows.push(['Georeferencing', 'none'])
  }
  return rows
}

function infoTable(info: RasterInfo): HTMLElement {
  const table = element('dl', 'info-table')
  for (const [label, value] of infoRows(info)) table.append(element('dt', undefined, label), element('dd', undefined, value))
  return table
}

/** Where a CRS was read, as the info table says it. */
const CRS_SOURCES: Record<CrsSource, string> = {
  geokeys: 'the GeoTIFF keys',
  prj: 'the .prj file beside it',
  'aux-xml': "GDAL's .aux.xml beside it",
  manual: 'set by hand (Set CRS…)',
  service: 'the map server (the CRS it serves the layer in)'
}
