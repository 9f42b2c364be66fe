/**
 * The layers list: each open raster with its name, visibility, opacity, remove button, its
 * description (format, size, bands, type, levels, file size, georeferencing) and, for single-band
 * rasters, the stretch (range and colour map).
 */
import type { RasterInfo } from '../../shared/raster'
import { COLORMAPS, isColormap, type ColormapName } from '../view/colormaps'
import type { StretchSettings } from '../view/StretchShader'
import { element, formatBytes, formatMapCoordinate, formatValue } from './format'

export interface LayerActions {
  setVisible(rasterId: string, visible: boolean): void
  setOpacity(rasterId: string, opacity: number): void
  remove(rasterId: string): void
  setStretch(rasterId: string, settings: Partial<StretchSettings>): void
}

export interface LayerEntry {
  rasterId: string
  info: RasterInfo
  stretch: StretchSettings | null
}

export class LayersPanel {
  readonly root: HTMLElement
  private readonly list: HTMLElement
  private readonly items = new Map<string, HTMLElement>()
  private readonly empty: HTMLElement

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
    const item = this.render(entry)
    const old = this.items.get(entry.rasterId)
    if (old) old.replaceWith(item)
    else this.list.prepend(item)
    this.items.set(entry.rasterId, item)
    this.empty.hidden = true
  }

  remove(rasterId: string): void {
    this.items.get(rasterId)?.remove()
    this.items.delete(rasterId)
    this.empty.hidden = this.items.size > 0
  }

  private render(entry: LayerEntry): HTMLElement {
    const { rasterId, info } = entry
    const item = element('li', 'layer', undefined, { 'data-raster-id': rasterId, 'data-testid': 'layer' })
    const head = element('div', 'layer-head')
    const visible = element('input', 'layer-visible', undefined, { type: 'checkbox', title: 'Visible', 'aria-label': `Show ${info.name}` })
    visible.checked = true
    visible.addEventListener('change', () => this.actions.setVisible(rasterId, visible.checked))
    const name = element('span', 'layer-name', info.name, { title: info.name })
    const remove = element('button', 'layer-remove', '×', { type: 'button', title: 'Remove', 'aria-label': `Remove ${info.name}` })
    remove.addEventListener('click', () => this.actions.remove(rasterId))
    head.append(visible, name, remove)

    const opacityRow = element('label', 'layer-row')
    const opacity = element('input', 'layer-opacity', undefined, { type: 'range', min: '0', max: '1', step: '0.05', value: '1' })
    opacity.addEventListener('input', () => this.actions.setOpacity(rasterId, Number(opacity.value)))
    opacityRow.append(element('span', 'row-label', 'Opacity'), opacity)

    const details = element('details', 'layer-info')
    details.append(element('summary', undefined, 'Info'), this.infoTable(info))
    item.append(head, opacityRow)
    if (entry.stretch) item.append(this.stretchControls(rasterId, entry.stretch))
    item.append(details)
    return item
  }

  private infoTable(info: RasterInfo): HTMLElement {
    const rows: Array<[string, string]> = [
      ['Format', info.format],
      ['Size', `${info.width} × ${info.height} px`],
      ['Bands', `${info.bands}${info.hasAlpha ? ' (with alpha)' : ''}`],
      ['Type', info.sampleType],
      ['Levels', `${info.levels.length} (tiles ${info.tileSize} px)`],
      ['File size', formatBytes(info.fileSize)],
      ['Source', info.strategy === 'pyramid' ? (info.pyramidReady ? 'pyramid built' : 'building pyramid…') : info.strategy]
    ]
    if (info.statistics) {
      const s = info.statistics
      rows.push(['Range', `${formatValue(s.min)} … ${formatValue(s.max)}`])
      if (s.noData !== null) rows.push(['No data', formatValue(s.noData)])
    }
    const geo = info.georeference
    if (geo) {
      rows.push(['CRS', geo.epsg !== null ? `EPSG:${geo.epsg}` : 'unknown'])
      rows.push(['Origin', `${formatMapCoordinate(geo.originX, geo.epsg)}, ${formatMapCoordinate(geo.originY, geo.epsg)}`])
      rows.push(['Pixel size', `${formatValue(geo.pixelSizeX)} × ${formatValue(geo.pixelSizeY)}`])
    } else {
      rows.push(['Georeferencing', 'none'])
    }
    const table = element('dl', 'info-table')
    for (const [label, value] of rows) table.append(element('dt', undefined, label), element('dd', undefined, value))
    return table
  }

  private stretchControls(rasterId: string, stretch: StretchSettings): HTMLElement {
    const box = element('div', 'layer-stretch')
    const min = element('input', 'stretch-min', undefined, { type: 'number', step: 'any', value: String(stretch.min), 'aria-label': 'Stretch minimum' })
    const max = element('input', 'stretch-max', undefined, { type: 'number', step: 'any', value: String(stretch.max), 'aria-label': 'Stretch maximum' })
    const colormap = element('select', 'stretch-colormap', undefined, { 'aria-label': 'Colour map' })
    for (const name of COLORMAPS) {
      const option = element('option', undefined, name, { value: name })
      option.selected = name === stretch.colormap
      colormap.append(option)
    }
    const apply = (): void => {
      const lo = Number(min.value)
      const hi = Number(max.value)
      const settings: Partial<StretchSettings> = {}
      if (Number.isFinite(lo) && Number.isFinite(hi) && hi > lo) Object.assign(settings, { min: lo, max: hi })
      if (isColormap(colormap.value)) settings.colormap = colormap.value as ColormapName
      this.actions.setStretch(rasterId, settings)
    }
    min.addEventListener('change', apply)
    max.addEventListener('change', apply)
    colormap.addEventListener('change', apply)
    const range = element('label', 'layer-row')
    range.append(element('span', 'row-label', 'Stretch'), min, element('span', undefined, '–'), max)
    const map = element('label', 'layer-row')
    map.append(element('span', 'row-label', 'Colours'), colormap)
    box.append(range, map)
    return box
  }
}
