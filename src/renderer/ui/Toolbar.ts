/**
 * The toolbar, always on screen: Open… and Open URL…, the way several files are shown (stacked as layers, or
 * one at a time with previous / next and "2 / 5 name"), save the view as PNG, the sidebar, the help.
 */
import { element } from './format'

/** Resolutions offered for a saved view, in pixels per pixel of the window. */
export const EXPORT_SCALES = [1, 2, 4] as const

export interface ToolbarActions {
  open(): void
  /** Open URL…: a raster on a server (absent: no button). */
  openUrl?(): void
  /** Add map layer…: a WMS, WMTS or XYZ layer (absent: no button). */
  addMapLayer?(): void
  toggleBrowse(): void
  previous(): void
  next(): void
  exportPng(): void
  /** Swipe between the selected layer and those under it (absent: no button). */
  toggleSwipe?(): void
  toggleSidebar(): void
  help(): void
}

export class Toolbar {
  readonly root: HTMLElement
  private readonly mode: HTMLButtonElement
  private readonly browse: HTMLElement
  private readonly position: HTMLElement
  private readonly opening: HTMLElement
  private readonly scale: HTMLSelectElement
  private readonly swipe: HTMLButtonElement | null

  constructor(parent: HTMLElement, actions: ToolbarActions) {
    this.root = element('div', 'toolbar', undefined, { 'data-testid': 'toolbar', role: 'toolbar', 'aria-label': 'Tessera' })
    const button = (label: string, title: string, testId: string, run: () => void): HTMLButtonElement => {
      const b = element('button', 'tool', label, { type: 'button', title, 'data-testid': testId })
      b.addEventListener('click', run)
      return b
    }
    const open = button('Open…', 'Open files (Ctrl+O)', 'toolbar-open', () => actions.open())
    open.classList.add('tool-primary')
    const openUrl = actions.openUrl?.bind(actions)
    const openUrlButton = openUrl ? button('Open URL…', 'Open a GeoTIFF or COG on a server by its http(s) URL (Ctrl+L)', 'toolbar-open-url', openUrl) : null
    const addMapLayer = actions.addMapLayer?.bind(actions)
    const addMapLayerButton = addMapLayer ? button('Add map layer…', 'Add a WMS, WMTS or XYZ map layer, or a basemap (Ctrl+Shift+L)', 'toolbar-add-map-layer', addMapLayer) : null
    this.mode = button('Stacked', 'Several files: stacked as layers, or one at a time (b)', 'toolbar-mode', () => actions.toggleBrowse())
    this.browse = element('span', 'tool-browse', undefined, { 'data-testid': 'toolbar-browse' })
    this.position = element('span', 'tool-position', '', { 'data-testid': 'browse-position' })
    this.browse.append(
      button('‹', 'Previous file (← or PageUp)', 'browse-previous', () => actions.previous()),
      this.position,
      button('›', 'Next file (→ or PageDown)', 'browse-next', () => actions.next())
    )
    this.browse.hidden = true
    this.opening = element('span', 'tool-opening', '', { 'data-testid': 'opening', role: 'status', 'aria-live': 'polite' })
    this.opening.hidden = true
    this.scale = element('select', 'tool-scale', undefined, { 'aria-label': 'Resolution of the saved PNG', title: 'Resolution of the saved PNG', 'data-testid': 'export-scale' })
    for (const k of EXPORT_SCALES) this.scale.append(new Option(k === 1 ? 'Screen' : `${k}×`, String(k)))
    const toggleSwipe = actions.toggleSwipe?.bind(actions)
    this.swipe = toggleSwipe ? button('Swipe', 'Compare the selected layer with those under it: a divider to drag (w)', 'toolbar-swipe', toggleSwipe) : null
    this.swipe?.setAttribute('aria-pressed', 'false')
    this.root.append(
      open,
      ...(openUrlButton ? [openUrlButton] : []),
      ...(addMapLayerButton ? [addMapLayerButton] : []),
      this.mode,
      this.browse,
      this.opening,
      element('span', 'tool-spacer'),
      ...(this.swipe ? [this.swipe] : []),
      button('Save PNG', 'Save the view as PNG (Ctrl+S), at the resolution chosen beside', 'toolbar-export', () => actions.exportPng()),
      this.scale,
      button('Sidebar', 'Show / hide the sidebar (s)', 'toolbar-sidebar', () => actions.toggleSidebar()),
      button('?', 'Keyboard and mouse (?)', 'toolbar-help', () => actions.help())
    )
    parent.append(this.root)
  }

  /** Pixels of the saved PNG per pixel of the window's view (1: as on screen). */
  get exportScale(): number {
    return Number(this.scale.value) || 1
  }

  /** Shows how several files are shown; `position` (browsing) is "2 / 5 name". */
  setMode(mode: 'stack' | 'browse', available: boolean, position: string): void {
    this.mode.textContent = mode === 'browse' ? 'One at a time' : 'Stacked'
    this.mode.dataset.mode = mode
    this.mode.disabled = !available
    this.browse.hidden = mode !== 'browse' || !available
    if (this.position.textContent !== position) this.position.textContent = position
  }

  /** Shows whether the swipe is on. */
  setSwipe(on: boolean): void {
    this.swipe?.setAttribute('aria-pressed', String(on))
    this.swipe?.classList.toggle('tool-on', on)
  }

  /** Files on their way ("Opening dem.tif…"); an empty list hides it. */
  setOpening(names: readonly string[]): void {
    this.opening.hidden = names.length === 0
    const text = names.length === 0 ? '' : names.length === 1 ? `Opening ${names[0]}…` : `Opening ${names.length} files…`
    if (this.opening.textContent !== text) this.opening.textContent = text
    this.opening.title = names.join('\n')
  }
}
