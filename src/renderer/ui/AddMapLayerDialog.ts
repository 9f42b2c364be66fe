/**
 * "Add map layer…" (issue 25), as QGIS's "Add WMS/WMTS layer" and its XYZ connections: a person
 * types or pastes a capabilities URL or an XYZ template, or picks a well-known basemap; Load asks
 * the host what the service offers (`web-capabilities`) and lists its layers (title, name, CRSs;
 * a filter for long lists; style, format, CRS, tile matrix set and time when there is a choice);
 * Add opens the layer picked (`open-web-layer`, in the view's CRS) and puts it on top. The host's
 * refusals are said in the dialog in its words; a server that never answers is said after
 * `CALL_TIMEOUT_MS`, and the dialog stays usable all along: a new Load supersedes the last, Cancel
 * and Esc close it. What the choice asks for is `webLayerChoice.ts` (pure).
 */
import type { WebCapabilities, WebLayerChoice } from '../../shared/webLayers'
import { messageOf } from '../../shared/errors'
import type { WebLayerParams } from '../session/webLayerList'
import { element } from './format'
import { filterLayers, openParamsFor, preferredFormat, presetOf, serviceLabel, timeOptions, WEB_LAYER_PRESETS, withTimeout, type WebLayerPicks } from './webLayerChoice'

/** What the dialog asks of the host and the view. */
export interface MapLayerSource {
  /** `web-capabilities` of a URL. */
  capabilities(url: string): Promise<WebCapabilities>
  /** Opens a layer with these parameters and adds it on top; resolves once it is in the list. */
  add(params: WebLayerParams): Promise<void>
  /** The view's CRS id now (null: the view has none yet). */
  viewCrs(): string | null
}

/**
 * How long the dialog waits for the host's answer before saying the server does not answer. The
 * host gives up first (30 s to the first byte, `remote/options.ts`) and says why; this only
 * guarantees that nothing waits for ever.
 */
export const CALL_TIMEOUT_MS = 45_000

/** From this many layers on, a filter field is shown above the list. */
const FILTER_FROM = 6

export class AddMapLayerDialog {
  readonly root: HTMLElement
  private readonly url: HTMLInputElement
  private readonly load: HTMLButtonElement
  private readonly message: HTMLElement
  private readonly filter: HTMLInputElement
  private readonly list: HTMLElement
  private readonly picks: HTMLElement
  private readonly addButton: HTMLButtonElement
  /** The capabilities listed, and the URL they were read from. */
  private loaded: { url: string; capabilities: WebCapabilities } | null = null
  private chosen: WebLayerChoice | null = null
  private pickers: { read(): WebLayerPicks } | null = null
  /** Answers to older Loads and Adds are dropped. */
  private requestCount = 0
  private adding = false

  constructor(parent: HTMLElement, private readonly source: MapLayerSource) {
    this.root = element('div', 'help-overlay map-layer-overlay', undefined, { 'data-testid': 'add-map-layer', role: 'dialog', 'aria-label': 'Add map layer', 'aria-modal': 'true' })
    this.root.hidden = true
    const box = element('div', 'help-box crs-box map-layer-box')
    const title = element('h2', 'help-title', 'Add map layer')
    const hint = element('p', 'crs-hint', 'A WMS or WMTS capabilities URL, or an XYZ template (…/{z}/{x}/{y}.png), or a basemap:')
    const presets = element('div', 'map-layer-presets')
    for (const preset of WEB_LAYER_PRESETS) {
      const b = element('button', 'map-layer-preset', preset.label, { type: 'button', title: `${preset.url}\n${preset.attribution}`, 'data-testid': 'add-map-layer-preset' })
      b.addEventListener('click', () => {
        this.url.value = preset.url
        void this.loadCapabilities()
      })
      presets.append(b)
    }
    const urlRow = element('div', 'map-layer-url-row')
    this.url = element('input', 'crs-input map-layer-url', undefined, { type: 'url', 'data-testid': 'add-map-layer-url', 'aria-label': 'Capabilities URL or XYZ template', spellcheck: 'false', placeholder: 'https://…/wms?SERVICE=WMS&REQUEST=GetCapabilities' })
    this.load = element('button', 'map-layer-load', 'Load', { type: 'button', 'data-testid': 'add-map-layer-load' })
    urlRow.append(this.url, this.load)
    this.message = element('p', 'crs-message', '', { 'data-testid': 'add-map-layer-message', role: 'status' })
    this.filter = element('input', 'crs-input map-layer-filter', undefined, { type: 'search', 'data-testid': 'add-map-layer-filter', 'aria-label': 'Filter the layers', placeholder: 'Filter by title, name or CRS' })
    this.filter.hidden = true
    this.list = element('ul', 'crs-results map-layer-list', undefined, { 'data-testid': 'add-map-layer-list', role: 'listbox', 'aria-label': 'Layers of the service' })
    this.picks = element('div', 'map-layer-picks', undefined, { 'data-testid': 'add-map-layer-picks' })
    this.addButton = element('button', 'crs-apply', 'Add', { type: 'button', 'data-testid': 'add-map-layer-add' })
    this.addButton.disabled = true
    const cancel = element('button', 'crs-cancel', 'Cancel', { type: 'button', 'data-testid': 'add-map-layer-cancel' })
    const buttons = element('div', 'crs-buttons')
    buttons.append(this.addButton, cancel)
    box.append(title, hint, presets, urlRow, this.message, this.filter, this.list, this.picks, buttons)
    this.root.append(box)
    parent.append(this.root)

    // The viewer's shortcuts stay out of the fields; Esc closes, Enter loads or adds.
    box.addEventListener('keydown', (e) => {
      e.stopPropagation()
      if (e.key === 'Escape') this.hide()
    })
    this.url.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault()
        void this.loadCapabilities()
      }
    })
    this.load.addEventListener('click', () => void this.loadCapabilities())
    this.filter.addEventListener('input', () => this.listLayers())
    this.addButton.addEventListener('click', () => void this.addChosen())
    cancel.addEventListener('click', () => this.hide())
    this.root.addEventListener('click', (e) => {
      if (e.target === this.root) this.hide()
    })
  }

  get open(): boolean {
    return !this.root.hidden
  }

  /** Opens the dialog as it was left (the last service listed stays, to add another of its layers). */
  show(): void {
    this.root.hidden = false
    if (!this.adding) this.say(this.loaded ? '' : 'Load a service to list its layers.')
    this.url.focus()
    this.url.select()
  }

  hide(): void {
    this.root.hidden = true
    this.requestCount++ // a Load still on its way is not listed once closed
    if (!this.adding) this.load.disabled = false
  }

  /** Reads the service's capabilities and lists its layers; an XYZ template's one layer is picked at once. */
  private async loadCapabilities(): Promise<void> {
    const url = this.url.value.trim()
    if (url === '') return this.say('Type a capabilities URL or an XYZ template first.')
    const count = ++this.requestCount
    this.loaded = null
    this.choose(null)
    this.list.replaceChildren()
    this.filter.hidden = true
    this.say(`Reading ${url}…`)
    let capabilities: WebCapabilities
    try {
      capabilities = await withTimeout(this.source.capabilities(url), CALL_TIMEOUT_MS, url)
    } catch (error) {
      if (count === this.requestCount) this.say(messageOf(error), true)
      return
    }
    if (count !== this.requestCount || !this.open) return
    this.loaded = { url, capabilities }
    const { layers } = capabilities
    const what = `${serviceLabel(capabilities.service)}${capabilities.version ? ` ${capabilities.version}` : ''}`
    if (layers.length === 0) return this.say(`${capabilities.title || url} (${what}) offers no layer to show.`, true)
    this.say(`${capabilities.title || url} (${what}): ${layers.length} ${layers.length === 1 ? 'layer' : 'layers'}`)
    this.filter.value = ''
    this.filter.hidden = layers.length < FILTER_FROM
    this.listLayers()
    if (layers.length === 1) this.choose(layers[0]!)
  }

  /** Lists the layers loaded that match the filter. */
  private listLayers(): void {
    const layers = this.loaded ? filterLayers(this.loaded.capabilities.layers, this.filter.value) : []
    this.list.replaceChildren(
      ...layers.map((layer) => {
        const item = element('li', 'crs-result map-layer-item', undefined, { role: 'option', tabindex: '0', 'data-testid': 'add-map-layer-item', 'data-name': layer.name, 'aria-selected': String(layer === this.chosen) })
        const crs = layer.crs.length > 4 ? `${layer.crs.slice(0, 4).join(', ')} +${layer.crs.length - 4}` : layer.crs.join(', ')
        item.append(element('span', 'map-layer-title', layer.title || layer.name), element('span', 'map-layer-name', layer.name === layer.title ? '' : layer.name), element('span', 'map-layer-crs', crs, { title: layer.crs.join(', ') }))
        item.addEventListener('click', () => this.choose(layer))
        item.addEventListener('dblclick', () => {
          this.choose(layer)
          void this.addChosen()
        })
        item.addEventListener('keydown', (e) => {
          if (e.key !== 'Enter') return
          this.choose(layer)
          void this.addChosen()
        })
        return item
      })
    )
    if (this.loaded && layers.length === 0) this.say(`No layer matches “${this.filter.value.trim()}”`)
  }

  /** Picks a layer: it is marked, and its style, format, CRS, tile matrix set and time are offered when there is a choice. */
  private choose(layer: WebLayerChoice | null): void {
    this.chosen = layer
    for (const item of this.list.querySelectorAll<HTMLElement>('[data-name]')) item.setAttribute('aria-selected', String(layer !== null && item.dataset.name === layer.name))
    this.addButton.disabled = layer === null || this.adding
    this.pickers = layer ? this.renderPickers(layer) : null
    if (!layer) this.picks.replaceChildren()
  }

  private renderPickers(layer: WebLayerChoice): { read(): WebLayerPicks } {
    this.picks.replaceChildren()
    const select = (label: string, testId: string, options: Array<[value: string, text: string]>, selected?: string): HTMLSelectElement => {
      const s = element('select', 'map-layer-pick', undefined, { 'aria-label': label, 'data-testid': testId })
      for (const [value, text] of options) s.append(new Option(text, value, false, value === selected))
      const row = element('label', 'layer-row')
      row.append(element('span', 'row-label', label), s)
      this.picks.append(row)
      return s
    }
    const style = layer.styles.length > 1 ? select('Style', 'add-map-layer-style', layer.styles.map((s) => [s.name, s.title || s.name])) : null
    const format = layer.formats.length > 1 ? select('Format', 'add-map-layer-format', layer.formats.map((f) => [f, f]), preferredFormat(layer.formats)) : null
    const viewCrs = this.source.viewCrs()
    const automatic = viewCrs && layer.crs.includes(viewCrs) ? `Automatic (${viewCrs}, the view’s)` : 'Automatic'
    const crs = layer.crs.length > 1 && this.loaded?.capabilities.service === 'wms' ? select('CRS', 'add-map-layer-crs', [['', automatic], ...layer.crs.map((c): [string, string] => [c, c])]) : null
    const sets = layer.tileMatrixSets ?? []
    const tileMatrixSet = sets.length > 1 ? select('Tile matrix set', 'add-map-layer-tms', [['', 'Automatic'], ...sets.map((t): [string, string] => [t, t])]) : null
    let time: HTMLInputElement | null = null
    if (layer.time) {
      const options = timeOptions(layer.time)
      const listId = `map-layer-times-${this.requestCount}`
      time = element('input', 'crs-input map-layer-time', undefined, { type: 'text', 'aria-label': 'Time', 'data-testid': 'add-map-layer-time', list: listId, placeholder: layer.time.values ?? '' })
      time.value = layer.time.default ?? options.at(-1) ?? ''
      const datalist = element('datalist', undefined, undefined, { id: listId })
      for (const value of options) datalist.append(new Option(value, value))
      const row = element('label', 'layer-row')
      row.append(element('span', 'row-label', 'Time'), time, datalist)
      this.picks.append(row)
    }
    // An XYZ template states no attribution: the person gives its provider's (a preset's is filled in).
    let attribution: HTMLInputElement | null = null
    if (this.loaded?.capabilities.service === 'xyz') {
      attribution = element('input', 'crs-input map-layer-attribution', undefined, { type: 'text', 'aria-label': 'Attribution', 'data-testid': 'add-map-layer-attribution', placeholder: '© the tiles’ provider' })
      attribution.value = presetOf(this.loaded.url)?.attribution ?? this.loaded.capabilities.attribution ?? ''
      const row = element('label', 'layer-row')
      row.append(element('span', 'row-label', 'Attribution'), attribution)
      this.picks.append(row)
    }
    return {
      read: () => ({
        attribution: attribution?.value,
        style: style?.value || undefined,
        format: format?.value || undefined,
        crs: crs?.value || undefined,
        tileMatrixSet: tileMatrixSet?.value || undefined,
        time: time?.value.trim() || undefined
      })
    }
  }

  /** Opens the layer picked and adds it on top; the dialog closes once it is in the list, or says why not. */
  private async addChosen(): Promise<void> {
    const { loaded, chosen } = this
    if (!loaded || !chosen || this.adding) return
    const params = openParamsFor(loaded.url, loaded.capabilities, chosen, this.pickers?.read() ?? {}, this.source.viewCrs(), presetOf(loaded.url))
    this.adding = true
    this.addButton.disabled = true
    this.say(`Opening ${params.title ?? chosen.name}…`)
    try {
      await withTimeout(this.source.add(params), CALL_TIMEOUT_MS, loaded.url)
      this.hide()
    } catch (error) {
      this.say(messageOf(error), true)
    } finally {
      this.adding = false
      this.addButton.disabled = this.chosen === null
    }
  }

  private say(text: string, failed = false): void {
    this.message.textContent = text
    this.message.classList.toggle('map-layer-error', failed)
  }
}
