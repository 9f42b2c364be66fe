/**
 * The STAC browser (issue 25): a panel over the view listing what a STAC document holds. A
 * Collection or Catalog lists its items (id, date), a page at a time, with their footprints on a
 * small map of longitude/latitude; an Item (or the item picked) lists its assets, those Tessera
 * opens with a checkbox, and "Open selected" opens the ticked ones as layers. The footprints are
 * also drawn on the view as outlines, in the view's CRS (`stacFootprints.ts`), once the view has
 * one; a click on a footprint, on the view or on the small map, or on a row picks the item.
 */
import type { Point } from '../../shared/geo/affine'
import { footprintRings, type StacAsset, type StacDocument, type StacItemSummary } from '../../shared/stac'
import type { ViewState } from '../view/TileScheduler'
import { worldToScreen } from '../view/layerView'
import { element } from './format'
import { footprintAt, footprintInWorld } from './stacFootprints'
import './stac.css'

const SVG = 'http://www.w3.org/2000/svg'
/** A pointer that moved more than this between down and up dragged the view: no pick. */
const CLICK_SLOP = 4

export interface StacBrowserDeps {
  /** Where the panel goes. */
  parent: HTMLElement
  /** The element the view turns (the outlines' SVG goes in it, as the tools' drawing does). */
  overlayHost: HTMLElement
  /** The element that receives the view's pointer events. */
  stage: HTMLElement
  view(): ViewState
  /** The view's CRS id (null: no georeferenced layer yet, no outline on the view). */
  viewCrs(): string | null
  /** A client point in the camera's screen (through the view's turn). */
  clientToCanvas(clientX: number, clientY: number): { x: number; y: number }
  /** Opens the ticked assets. */
  openAssets(assets: StacAsset[]): void
  /** The next page of the items (from `first`); resolves with it, or null when it failed (said elsewhere). */
  page(first: number): Promise<StacDocument | null>
}

export class StacBrowser {
  readonly root: HTMLElement
  private readonly title: HTMLElement
  private readonly note: HTMLElement
  private readonly map: SVGSVGElement
  private readonly list: HTMLElement
  private readonly more: HTMLButtonElement
  private readonly assets: HTMLElement
  private readonly overlay: SVGSVGElement
  private items: StacItemSummary[] = []
  private itemCount = 0
  private selected = -1
  private down: { x: number; y: number; id: number } | null = null

  constructor(private readonly deps: StacBrowserDeps) {
    this.root = element('section', 'stac-panel', undefined, { 'data-testid': 'stac-browser', role: 'dialog', 'aria-label': 'STAC browser' })
    this.root.hidden = true
    const header = element('div', 'stac-header')
    this.title = element('h2', 'stac-title', '', { 'data-testid': 'stac-title' })
    const close = element('button', 'stac-close', '×', { type: 'button', 'aria-label': 'Close the STAC browser', 'data-testid': 'stac-close' })
    close.addEventListener('click', () => this.hide())
    header.append(this.title, close)
    this.note = element('p', 'stac-note', '', { 'data-testid': 'stac-note' })
    this.map = document.createElementNS(SVG, 'svg')
    this.map.classList.add('stac-map')
    this.map.dataset.testid = 'stac-map'
    this.list = element('ul', 'stac-items', undefined, { 'data-testid': 'stac-items', role: 'listbox', 'aria-label': 'Items' })
    this.more = element('button', 'stac-more', 'More items', { type: 'button', 'data-testid': 'stac-more' })
    this.more.addEventListener('click', () => void this.loadMore())
    this.assets = element('div', 'stac-assets', undefined, { 'data-testid': 'stac-assets' })
    this.root.append(header, this.note, this.map, this.list, this.more, this.assets)
    this.root.addEventListener('keydown', (e) => {
      e.stopPropagation() // the viewer's shortcuts stay out of the panel
      if (e.key === 'Escape') this.hide()
    })
    deps.parent.append(this.root)
    this.overlay = document.createElementNS(SVG, 'svg')
    this.overlay.classList.add('stac-overlay')
    this.overlay.dataset.testid = 'stac-overlay'
    deps.overlayHost.append(this.overlay)
    deps.stage.addEventListener('pointerdown', (e) => {
      this.down = !this.root.hidden && e.button === 0 && e.target instanceof HTMLCanvasElement ? { x: e.clientX, y: e.clientY, id: e.pointerId } : null
    })
    deps.stage.addEventListener('pointerup', (e) => {
      const down = this.down
      this.down = null
      if (!down || down.id !== e.pointerId || Math.hypot(e.clientX - down.x, e.clientY - down.y) > CLICK_SLOP) return
      const index = footprintAt(deps.clientToCanvas(e.clientX, e.clientY), this.screenOutlines())
      if (index >= 0) this.select(index)
    })
  }

  get open(): boolean {
    return !this.root.hidden
  }

  /** Shows `document`: an Item's assets, or a Collection's or Catalog's items. */
  show(document: StacDocument): void {
    this.root.hidden = false
    this.overlay.style.display = ''
    if (document.kind === 'Item') {
      this.items = [document.item]
      this.itemCount = 1
      this.title.textContent = document.item.title ?? document.item.id
      this.note.textContent = `STAC Item ${document.item.id}${dateOf(document.item) ? ` · ${dateOf(document.item)}` : ''}`
      this.list.hidden = true
    } else {
      this.items = [...document.items]
      this.itemCount = document.itemCount
      this.title.textContent = document.title ?? document.id
      this.note.textContent = catalogNote(document.kind, document.itemCount, document.truncated, document.problems)
      this.note.title = document.problems.join('\n')
      this.list.hidden = false
    }
    this.selected = this.items.length === 1 ? 0 : -1
    this.render()
  }

  hide(): void {
    this.root.hidden = true
    this.overlay.style.display = 'none'
  }

  /** Draws the outlines on the view again (at each frame: they follow pan, zoom and turn). */
  redraw(): void {
    if (this.root.hidden) return
    const view = this.deps.view()
    this.overlay.setAttribute('viewBox', `0 0 ${view.width} ${view.height}`)
    this.overlay.replaceChildren(
      ...this.screenOutlines().flatMap((rings, index) =>
        rings.map((ring) => {
          const shape = polygon(ring, index === this.selected ? 'stac-footprint selected' : 'stac-footprint')
          shape.dataset.testid = 'stac-footprint'
          shape.dataset.item = this.items[index]!.id
          return shape
        })
      )
    )
  }

  private select(index: number): void {
    this.selected = index
    this.render()
  }

  private render(): void {
    this.list.replaceChildren(
      ...this.items.map((item, index) => {
        const row = element('li', index === this.selected ? 'stac-item selected' : 'stac-item', undefined, { role: 'option', 'aria-selected': String(index === this.selected), tabindex: '0', 'data-testid': 'stac-item', 'data-item': item.id })
        row.append(element('span', 'stac-item-id', item.title ?? item.id), element('span', 'stac-item-date', dateOf(item)))
        row.addEventListener('click', () => this.select(index))
        row.addEventListener('keydown', (e) => {
          if (e.key === 'Enter') this.select(index)
        })
        return row
      })
    )
    this.more.hidden = this.list.hidden || this.items.length >= this.itemCount
    this.renderMap()
    this.renderAssets()
    this.redraw()
  }

  /** The small map: every footprint in longitude/latitude, the picked one highlighted; a click picks. */
  private renderMap(): void {
    const rings = this.items.map((item) => footprintRings(item).map((ring) => ring.map(([lon, lat]) => ({ x: lon!, y: -lat! }))))
    const all = rings.flat(2)
    this.map.style.display = all.length === 0 ? 'none' : ''
    if (all.length === 0) return this.map.replaceChildren()
    const xs = all.map((p) => p.x)
    const ys = all.map((p) => p.y)
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]
    const margin = Math.max(x1 - x0, y1 - y0, 1e-6) * 0.05
    this.map.setAttribute('viewBox', `${x0 - margin} ${y0 - margin} ${x1 - x0 + 2 * margin} ${y1 - y0 + 2 * margin}`)
    this.map.replaceChildren(
      ...rings.flatMap((itemRings, index) =>
        itemRings.map((ring) => {
          const shape = polygon(ring, index === this.selected ? 'stac-map-footprint selected' : 'stac-map-footprint')
          shape.dataset.item = this.items[index]!.id
          shape.addEventListener('click', () => this.select(index))
          return shape
        })
      )
    )
  }

  private renderAssets(): void {
    const item = this.items[this.selected]
    if (!item) {
      this.assets.replaceChildren(element('p', 'stac-hint', 'Pick an item: its row, or its footprint on the map or the view.'))
      return
    }
    const openable = item.assets.filter((a) => a.openable)
    const boxes: Array<{ box: HTMLInputElement; asset: StacAsset }> = []
    const rows = item.assets.map((asset) => {
      const row = element('label', asset.openable ? 'stac-asset' : 'stac-asset unavailable', undefined, { 'data-testid': 'stac-asset', 'data-asset': asset.key, title: asset.why ?? asset.href })
      const box = element('input', 'stac-asset-box', undefined, { type: 'checkbox', 'aria-label': `Open ${asset.key}` })
      box.disabled = !asset.openable
      box.checked = asset.openable && openable.length === 1
      if (asset.openable) boxes.push({ box, asset })
      const kind = asset.cloudOptimized ? 'COG' : asset.type ?? ''
      row.append(box, element('span', 'stac-asset-key', asset.title ?? asset.key), element('span', 'stac-asset-type', asset.openable ? kind : asset.why ?? ''))
      return row
    })
    const open = element('button', 'stac-open', 'Open selected', { type: 'button', 'data-testid': 'stac-open' })
    open.disabled = openable.length === 0
    open.addEventListener('click', () => {
      const chosen = boxes.filter((b) => b.box.checked).map((b) => b.asset)
      if (chosen.length > 0) this.deps.openAssets(chosen)
    })
    this.assets.replaceChildren(element('h3', 'stac-assets-title', `Assets of ${item.id}`), ...rows, open)
  }

  private async loadMore(): Promise<void> {
    this.more.disabled = true
    try {
      const next = await this.deps.page(this.items.length)
      if (next && next.kind !== 'Item') {
        this.items.push(...next.items)
        this.itemCount = next.itemCount
        this.render()
      }
    } finally {
      this.more.disabled = false
    }
  }

  /** Each item's outlines in the camera's screen pixels ([] per item while the view has no CRS). */
  private screenOutlines(): Point[][][] {
    const view = this.deps.view()
    const crs = this.deps.viewCrs()
    return this.items.map((item) => footprintInWorld(item, crs).map((ring) => ring.map((p) => worldToScreen(view, p))))
  }
}

function polygon(points: readonly Point[], className: string): SVGPolygonElement {
  const shape = document.createElementNS(SVG, 'polygon')
  shape.setAttribute('points', points.map((p) => `${+p.x.toFixed(6)},${+p.y.toFixed(6)}`).join(' '))
  shape.setAttribute('class', className)
  return shape
}

/** An item's date (its datetime, else its range), as written, to the day or minute. */
function dateOf(item: StacItemSummary): string {
  const short = (text: string): string => text.replace(/T00:00:00(\.0+)?Z$/, '').replace(/:\d\d(\.\d+)?Z$/, 'Z').replace('T', ' ')
  if (item.datetime) return short(item.datetime)
  if (item.startDatetime || item.endDatetime) return `${short(item.startDatetime ?? '…')} – ${short(item.endDatetime ?? '…')}`
  return ''
}

/** "STAC Catalog · 12 items · 1 could not be read". */
export function catalogNote(kind: 'Collection' | 'Catalog', itemCount: number, truncated: boolean, problems: readonly string[]): string {
  const items = `${itemCount}${truncated ? '+' : ''} item${itemCount === 1 ? '' : 's'}${truncated ? ` (the first ${itemCount} listed)` : ''}`
  const failed = problems.length === 0 ? '' : ` · ${problems.length} could not be read`
  return `STAC ${kind} · ${items}${failed}`
}
